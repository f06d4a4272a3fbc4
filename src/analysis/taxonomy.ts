import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { parseOptions } from '../options/option.js';
import { DEFAULT_ORDERS, taxonomySchema } from '../options/taxonomy.js';
import { builtInModelOnly, loadSpecDataset, type AnalysisSpec } from './spec.js';
import { InputError } from '../data/errors.js';
import { selectBackend, type BackendName } from '../engine/backend.js';
import type { Decided } from './write.js';
import { provenanceOf } from '../report/provenance.js';
import { sweepConfig } from '../sweep/config.js';
import { parseSeeds } from '../sweep/plan.js';
import { claimOutputFolder } from '../sweep/outputFolder.js';
import type { TaxonomyChoice, TaxonomyProblem } from '../taxonomy/bip.js';
import {
  fullTournaments,
  ownNetworkBetter,
  reportTaxonomy,
  selectionCurve,
  taxonomyGraph,
  taxonomyProblem,
} from '../taxonomy/build.js';
import { compareWithPairwise, type PairwiseComparison } from '../taxonomy/compare.js';
import { AFFINITY_FILES, readAffinity } from '../artefacts/affinity.js';
import { measureTransfers, type TransferMeasurements } from '../taxonomy/measure.js';
import { COMMAND_TRANSFERS, importedTransfers, IMPORTED_TRANSFERS } from '../taxonomy/imported.js';
import { readImportedExamples, readImportedJournal } from '../sweep/imported.js';
import { replicationKeysOf } from '../sweep/recordStore.js';
import { journalProvenance } from '../report/provenance.js';
import { journalPathOf, runPairwiseAnalysis } from './pairwise.js';
import { meanTestLoss, transferOrder, type TargetTournament } from '../taxonomy/transfers.js';

/** `tra taxonomy`'s options (declared in src/options/taxonomy.ts); absent ones take their declared defaults. */
export type TaxonomyOptions = z.input<typeof taxonomySchema> & {
  /** Progress lines on stderr; a library call is silent unless it asks for them. */
  progress?: boolean;
};
type TaxonomyDecided = z.output<typeof taxonomySchema>;

export interface TaxonomyOutcome extends Decided {
  taskNames: string[];
  /** The engine that trained the transfers, 'imported' when they were measured elsewhere, 'command' by the user's. */
  backend: BackendName | 'imported' | 'command';
  measurements: TransferMeasurements;
  tournaments: TargetTournament[];
  problem: TaxonomyProblem;
  choices: TaxonomyChoice[];
  drawBudget: number;
  comparison?: PairwiseComparison;
}

/** Supervision budgets against the task count: every budget 1..T unless given; the drawn one is solved too. */
export function checkTaxonomyBudgets(
  taskCount: number,
  options: Pick<TaxonomyOptions, 'budgets' | 'drawBudget'>,
): { budgets: number[]; drawBudget: number } {
  if (taskCount < 2) throw new InputError('a taxonomy needs at least two tasks');
  const budgets = options.budgets ?? Array.from({ length: taskCount }, (_, b) => b + 1);
  const drawBudget = options.drawBudget ?? Math.ceil(taskCount / 2);
  for (const budget of [...budgets, drawBudget])
    if (!isCount(budget) || budget > taskCount)
      throw new InputError(`budget ${budget}: an integer from 1 (one task trained from scratch) to ${taskCount} (all)`);
  return { budgets: [...new Set([...budgets, drawBudget])].sort((a, b) => a - b), drawBudget };
}

const isCount = (v: number): boolean => Number.isInteger(v) && v >= 1;

/** The user's settings against the task count: each mistake is an InputError saying what would work. */
export function checkTaxonomyOptions(
  taskCount: number,
  options: TaxonomyDecided,
): { budgets: number[]; drawBudget: number; orders: number[] } {
  const { beam } = options;
  const budgets = checkTaxonomyBudgets(taskCount, options);
  // The default orders shrink to what the tasks allow; only orders the user chose can be wrong.
  const orders = options.orders ?? DEFAULT_ORDERS.filter((order) => order <= taskCount - 1);
  if (!orders.every(isCount) || !orders.includes(1))
    throw new InputError(
      `--orders ${orders.join(',')}: positive integers including 1 (higher orders start from the first-order results)`,
    );
  const highest = Math.max(...orders);
  if (highest > taskCount - 1)
    throw new InputError(
      `--orders: order ${highest} needs ${highest} sources besides the target, but there are only ${taskCount - 1}`,
    );
  if (!isCount(beam) || beam < highest)
    throw new InputError(`--beam ${beam}: an integer of at least the highest order (${highest})`);
  return { ...budgets, orders };
}

/** The Standley gain matrix of a pairwise sweep in the same folder, restricted to these tasks by name, if it has them all. */
function pairwiseGains(dir: string, taskNames: string[]): number[][] | undefined {
  const path = join(dir, AFFINITY_FILES.json);
  if (!existsSync(path)) return undefined;
  const file = readAffinity(path);
  const index = taskNames.map((name) => file.taskNames.indexOf(name));
  if (index.includes(-1)) return undefined;
  return index.map((i) => index.map((j) => file.mean[i][j] ?? NaN));
}

/**
 * `tra taxonomy`: measures every first-order transfer and the beam's higher-order ones over the analysis's
 * replications, normalises them per target by AHP, solves the budgeted selection at every budget, and writes
 * taxonomy.json (with the report's graph), the first-order matrices as CSV, and the HTML report.
 */
export async function runTaxonomy(spec: AnalysisSpec, given: TaxonomyOptions = {}): Promise<TaxonomyOutcome> {
  if (spec.command) return runCommandTaxonomy(spec, given);
  builtInModelOnly(spec, 'tra taxonomy');
  const { progress, ...rest } = given;
  const options = parseOptions(taxonomySchema, rest, 'taxonomy options');
  const dataset = loadSpecDataset(spec);
  const taskNames = dataset.taskNames;
  const { budgets, drawBudget, orders } = checkTaxonomyOptions(taskNames.length, options);
  claimOutputFolder(spec.out);
  const gains = pairwiseGains(spec.out, taskNames); // read first: a broken file should not cost a training run
  const backend = await selectBackend(spec.backend);
  const seeds = parseSeeds(spec.seeds);
  const { beam, readoutHidden } = options;
  const measurements = measureTransfers(dataset, {
    engine: spec.engine,
    split: spec.split,
    seeds,
    orders,
    beam,
    readoutHidden,
    quiet: !progress,
  });
  const provenance = provenanceOf(sweepConfig(dataset, spec.engine, spec.split), [backend], measurements.seconds);
  const about = {
    provenance,
    backend,
    settings: { orders, beam, readoutHidden, engine: spec.engine, split: spec.split, seeds },
  };
  return {
    backend,
    ...(await solveTaxonomy(spec.out, taskNames, measurements, gains, { budgets, drawBudget }, about)),
  };
}

/**
 * `tra taxonomy <folder>` on imported losses with per-example test losses (`tra import`): the same tournaments,
 * selection and files, with the imported networks as transfers (IMPORTED_TRANSFERS says how that deviates).
 */
export async function runImportedTaxonomy(
  outDir: string,
  options: Pick<TaxonomyOptions, 'budgets' | 'drawBudget'> = {},
): Promise<TaxonomyOutcome> {
  const journalPath = journalPathOf(outDir);
  const { config, configHash, records } = readImportedJournal(journalPath);
  const examples = readImportedExamples(journalPath, configHash, records);
  if (!examples)
    throw new InputError(
      `${outDir} holds imported losses without per-example test losses; the taxonomy's tournaments compare networks example by example (add an 'examples' field to the test rows and import again)`,
    );
  const { taskNames } = config;
  const budgets = checkTaxonomyBudgets(taskNames.length, options);
  const gains = pairwiseGains(outDir, taskNames);
  const replications = replicationKeysOf(records);
  const measurements = importedTransfers(taskNames.length, records, examples, replications);
  const about = {
    provenance: journalProvenance(config, records, configHash),
    backend: 'imported',
    transferDefinition: IMPORTED_TRANSFERS,
  };
  return { backend: 'imported', ...(await solveTaxonomy(outDir, taskNames, measurements, gains, budgets, about)) };
}

/**
 * `tra taxonomy` on a command definition: the pairwise sweep through the command (run or resumed), whose results
 * carry per-example test losses, read as imported networks are (COMMAND_TRANSFERS says how that deviates).
 */
async function runCommandTaxonomy(spec: AnalysisSpec, given: TaxonomyOptions): Promise<TaxonomyOutcome> {
  const { progress, budgets: budgetList, drawBudget, ...training } = given;
  const refused = Object.keys(training).filter((key) => training[key as keyof typeof training] !== undefined);
  if (refused.length)
    throw new InputError(
      `${refused.join(', ')}: ${spec.name} trains through your command, which reports whole networks: the taxonomy's transfers are its measured networks, not frozen-encoder readouts`,
    );
  const taskNames = spec.command?.taskNames ?? [];
  const budgets = checkTaxonomyBudgets(taskNames.length, { budgets: budgetList, drawBudget });
  const pairwise = await runPairwiseAnalysis(spec, { progress });
  const { sweep, config } = pairwise;
  const records = sweep.journal.records;
  const without = [...records.values()].find((r) => r.examples === undefined);
  if (without)
    throw new InputError(
      `${spec.name}: network ${without.id} has no per-example test losses; the taxonomy's tournaments compare networks example by example: write 'examples' for every task in your command's result (docs/COMMAND.md)`,
    );
  const examples = new Map([...records.values()].map((r) => [r.id, r.examples as number[][]]));
  const replications = replicationKeysOf(records);
  const measurements = importedTransfers(taskNames.length, records, examples, replications);
  const about = {
    provenance: journalProvenance(config, records),
    backend: 'command',
    transferDefinition: COMMAND_TRANSFERS,
  };
  const solved = await solveTaxonomy(spec.out, taskNames, measurements, pairwise.estimate.mean, budgets, about);
  // the sweep's affinity files go beside the taxonomy: its comparison is with them
  return { backend: 'command', ...solved, artefacts: { ...solved.artefacts, ...pairwise.artefacts } };
}

/** From measured transfers to the taxonomy: tournaments, the selection at every budget, the files and the report. */
async function solveTaxonomy(
  out: string,
  taskNames: string[],
  measurements: TransferMeasurements,
  gains: number[][] | undefined,
  { budgets, drawBudget }: { budgets: number[]; drawBudget: number },
  about: object,
): Promise<Omit<TaxonomyOutcome, 'backend'>> {
  const T = taskNames.length;
  const tournaments = fullTournaments(T, measurements.transfers);
  const problem = taxonomyProblem(tournaments);
  const choices = await selectionCurve(problem, budgets);
  const drawn = choices.find((c) => c.budget === drawBudget) as TaxonomyChoice;
  const comparison = gains && compareWithPairwise(measurements.firstOrder.affinity, gains);

  const names = (tasks: number[]): string[] => tasks.map((t) => taskNames[t]);
  const consistency = (t: TargetTournament) => ({
    task: taskNames[t.target],
    lambdaMax: t.ahp.lambdaMax,
    consistencyIndex: t.ahp.consistencyIndex,
    consistencyRatio: t.ahp.consistencyRatio,
  });
  const json = {
    ...about,
    replications: measurements.replications,
    taskNames,
    budget: drawBudget,
    ...reportTaxonomy(taxonomyGraph(taskNames, problem, drawn)),
    curve: choices.map((c) => ({
      budget: c.budget,
      sources: names(c.sources),
      total: c.total,
      served: c.served.map((s) => ({
        target: taskNames[s.target],
        sources: names(s.sources),
        own: s.own,
        order: s.own ? 0 : s.sources.length,
        score: s.score,
        ownScore: problem.ownScore[s.target],
        ownNetworkBetter: ownNetworkBetter(problem, s),
      })),
    })),
    firstOrder: {
      loss: measurements.firstOrder.loss,
      affinity: measurements.firstOrder.affinity,
      consistency: measurements.firstOrder.tournaments.map(consistency),
    },
    transfers: tournaments.map((t) => ({
      ...consistency(t),
      candidates: t.candidates.map((c, k) => ({
        sources: names(c.sources),
        order: transferOrder(c),
        meanTestLoss: meanTestLoss(c),
        score: t.ahp.weights[k],
      })),
    })),
    beamSets: measurements.beamSets.map((sets, t) => ({ target: taskNames[t], sets: sets.map(names) })),
    ...(comparison ? { comparison: { with: join(out, AFFINITY_FILES.json), ...comparison } } : {}),
  };
  return {
    taskNames,
    measurements,
    tournaments,
    problem,
    choices,
    drawBudget,
    comparison,
    out,
    artefacts: { taxonomy: json },
  };
}
