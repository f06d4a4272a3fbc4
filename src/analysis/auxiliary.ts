import { join } from 'node:path';
import type { z } from 'zod';
import { auxiliarySchema } from '../options/auxiliary.js';
import { parseOptions } from '../options/option.js';
import { checkTimeLimit, planWithin } from '../sweep/planner.js';
import { EXECUTION_OPTIONS } from '../options/execution.js';
import { defaultWorkers } from '../engine/parallel.js';
import type { RunOptions } from './group.js';
import type { Interval } from '../affinity/stats.js';
import { mean } from '../affinity/stats.js';
import type { Dataset } from '../data/dataset.js';
import { InputError } from '../data/errors.js';
import { seededRandom } from '../data/random.js';
import { prepareSplit, splitFor } from '../data/split.js';
import { columnValues, selectColumns, targetColumn, type TargetColumn } from '../data/targets.js';
import { selectBackend, type BackendName } from '../engine/backend.js';
import type { AuxiliaryRank } from '../grouping/auxiliary.js';
import { auxiliaryCandidates, type AuxiliaryCandidate } from '../grouping/auxiliaryCandidates.js';
import {
  curveFeatures,
  labelHeuristics,
  rankAgreement,
  type HeuristicValues,
  type RankAgreement,
} from '../grouping/auxiliaryHeuristics.js';
import {
  candidateLossesOfRecords,
  gainAgainst,
  mainLossBySeed,
  measureCandidate,
  rankCandidates,
  recommendOnValidation,
  type CandidateLosses,
  type CandidateMeasurement,
} from '../grouping/auxiliaryRanking.js';
import { seedsOf } from '../grouping/replicated.js';
import { sweepConfig } from '../sweep/config.js';
import { parseSeeds, replicationsOf, SweepGroups, uniqueGroups, type Group } from '../sweep/plan.js';
import { runSweep } from '../sweep/run.js';
import type { Decided } from './write.js';
import { auxiliaryArtefact } from './auxiliaryOutput.js';
import { auxiliaryFolderOf, folderName } from '../artefacts/auxiliary.js';
import { claimOutputFolder } from '../sweep/outputFolder.js';
import { taskIndex } from './group.js';
import { builtInModelOnly, loadSpecDataset, type AnalysisSpec } from './spec.js';

/** `tra auxiliary`'s options (declared in src/options/auxiliary.ts); absent ones take their declared defaults. */
export type AuxiliaryOptions = z.input<typeof auxiliarySchema> & RunOptions;

/** One candidate with everything measured about it. */
export interface CandidateResult {
  name: string;
  kind: AuxiliaryCandidate['kind'];
  rule: string;
  /** Target columns (for rule-based candidates: what each replication chose, with counts). */
  columns: { names: string[]; replications: number }[];
  width: number;
  validationGain: number;
  /** Moved features only: the gain against the main task with all inputs (what moving the column costs in total). */
  netGain?: Interval;
  heuristics: HeuristicValues;
}

export interface ClosedLoopAuxiliary {
  seeds: number[];
  set: number[];
  /** Main with the set against main alone on the same inputs (the set's moved features removed). */
  gain: Interval;
  /** Against the main task alone with all inputs: what a user deploying the set gets. */
  netGain: Interval;
  /** The best single candidate (on validation) on the same fresh seeds, against all inputs. */
  bestSingleNetGain?: Interval;
}

export interface AuxiliaryResult extends Decided {
  spec: AnalysisSpec;
  main: number;
  mainName: string;
  replications: string[];
  /** The units of inference (SEED_LEVEL). */
  seeds: string[];
  candidates: CandidateResult[];
  ranking: AuxiliaryRank[];
  agreement: RankAgreement[];
  recommended: number[];
  closedLoop?: ClosedLoopAuxiliary;
  backend: BackendName;
  /** The definition's data (for provenance). */
  dataset: Dataset;
  /** Training time of every network behind the ranking. */
  trainingSeconds: number;
}

/** Candidates that train in one fused batch: those that take no inputs away and have one column share one. */
interface Variant {
  key: string;
  members: number[];
}

/** Streams of the analysis's own random numbers, apart from the training's. */
const STREAM = { agreementBootstrap: 21 };

/**
 * Candidate auxiliaries for one main task built from the data (tasks, auxiliary-only columns, a smoother target,
 * inputs moved to the output, an input autoencoder), each trained with the main task against the main task alone
 * under the definition's split and seeds (same split, initialisation and batch order), ranked by test gain with
 * intervals and FDR-controlled verdicts; cheap heuristics scored by how well they rank the candidates; a recommended
 * set chosen on validation and, on request, checked on fresh seeds.
 */
export async function runAuxiliaryAnalysis(spec: AnalysisSpec, given: AuxiliaryOptions): Promise<AuxiliaryResult> {
  builtInModelOnly(spec, 'tra auxiliary');
  const { progress, maxHours, ...rest } = given;
  const options = { ...parseOptions(auxiliarySchema, rest, 'auxiliary options'), quiet: !progress };
  const say = (line: string): void => {
    if (!options.quiet) process.stderr.write(`${line}\n`);
  };
  const base = loadSpecDataset(spec);
  const main = taskIndex(options.main, base.taskNames, '--main');
  const mainName = base.taskNames[main];
  const candidates = auxiliaryCandidates(base, { ...options, main, smoother: spec.smoothers[mainName] });
  if (candidates.length === 0)
    throw new InputError(
      'no candidate auxiliaries: the definition has one task, no auxiliary-only columns, and moving features and the autoencoder are off',
    );
  claimOutputFolder(spec.out); // before any training: a folder of the user's is refused, not written into
  const backend = await selectBackend(spec.backend);
  const seeds = parseSeeds(spec.seeds);
  const replications = replicationsOf(spec.split, seeds);
  const root = auxiliaryFolderOf(spec.out, mainName);
  const shared = candidates.flatMap((c, k) => (['task', 'future', 'smoother'].includes(c.kind) ? [k] : []));
  const variants: Variant[] = [
    { key: 'shared-inputs', members: shared },
    ...candidates.flatMap((c, k) => (shared.includes(k) ? [] : [{ key: folderName(c.name), members: [k] }])),
  ];
  const networks = variants.reduce((n, v) => n + 1 + 2 * v.members.length, 0) * replications.length;
  // timed on the main task alone and with each other task: the candidates' networks have the same shapes
  const limit = maxHours ?? EXECUTION_OPTIONS.maxHours.default;
  const plan = await planWithin(
    {
      data: prepareSplit(base, splitFor(spec.split, base.rows, seeds[0], 0)),
      kinds: base.taskKinds,
      groups: SweepGroups.of(
        base.taskNames.map((_, k) => (k === main ? [main] : [Math.min(main, k), Math.max(main, k)])),
      ),
      replications: replications.length,
      settings: spec.engine,
      backend,
      workers: spec.workers ?? defaultWorkers(),
      toTrain: networks,
    },
    limit,
    false,
  );
  checkTimeLimit(plan, limit, `tra auxiliary for ${mainName}`, base.taskNames.length, []);
  const context = { spec, base, main, candidates, backend, quiet: options.quiet };

  const losses: CandidateLosses[] = new Array(candidates.length);
  let allInputs = new Map<string, number>();
  let trainingSeconds = 0;
  let trained = 0;
  let kept = 0;
  for (const variant of variants) {
    const { records, offsets, sweep } = await trainVariant(
      context,
      variant,
      seeds,
      join(root, variant.key, 'journal.jsonl'),
      true,
    );
    const keys = replications.map((r) => r.key);
    variant.members.forEach(
      (c, k) => (losses[c] = candidateLossesOfRecords(records.values(), offsets[k], offsets[k + 1] - offsets[k], keys)),
    );
    if (variant.key === 'shared-inputs') allInputs = mainLossBySeed(records.values(), [0]);
    let seconds = 0; // summed as the records are read, not gathered first
    for (const r of records.values()) seconds += r.seconds;
    trainingSeconds += seconds;
    trained += sweep.trained;
    kept += sweep.skipped;
  }
  say(
    `auxiliary candidates for ${mainName}: ${candidates.length} (${candidates.map((c) => c.name).join(', ')}) over ${replications.length} replications; ${trained > 0 ? `trained ${trained} networks` : 'nothing to train'}${kept > 0 ? ` (${kept} already in the journals)` : ''}`,
  );
  const measurements = losses.map(measureCandidate);
  const ranking = rankCandidates(measurements, spec.level, spec.fdr);
  const results = candidates.map((c, k) =>
    candidateResult(context, c, losses[k], measurements[k], allInputs, replications),
  );
  const agreement = rankAgreement(
    results.map((r) => r.heuristics),
    measurements.map((m) => mean(m.testGains)),
    seededRandom(0, STREAM.agreementBootstrap),
    1000,
    spec.level,
  );
  const recommended = recommendOnValidation(measurements, options.recommend);
  const closedLoop =
    options.validate && recommended.length
      ? await checkSetOnFreshSeeds(context, recommended, seeds, options.validateSeeds, root)
      : undefined;
  const result = {
    spec,
    main,
    mainName,
    replications: replications.map((r) => r.key),
    seeds: seedsOf(replications.map((r) => r.key)),
    candidates: results,
    ranking,
    agreement,
    recommended,
    closedLoop,
    backend,
    dataset: base,
    trainingSeconds,
  };
  return { ...result, out: spec.out, artefacts: { auxiliaryCandidates: auxiliaryArtefact(result) } };
}

interface Context {
  spec: AnalysisSpec;
  base: Dataset;
  main: number;
  candidates: AuxiliaryCandidate[];
  backend: BackendName;
  quiet?: boolean;
}

/**
 * A variant's data for one replication: the inputs minus every member's moved features, and the targets [main,
 * member 1's columns, member 2's, ...]; the members' columns start at `offsets[k]`.
 */
function variantLayout(
  context: Context,
  members: number[],
  train: ArrayLike<number>,
): { dataset: Dataset; offsets: number[]; resolved: TargetColumn[][] } {
  const { base, main, candidates } = context;
  const resolved = members.map((c) => candidates[c].resolve(train));
  const dropped = new Set(resolved.flatMap((r) => r.dropped));
  const inputs = base.featureNames.map((_, f) => f).filter((f) => !dropped.has(f));
  const offsets = [1];
  for (const r of resolved) offsets.push(offsets[offsets.length - 1] + r.targets.length);
  return {
    dataset: selectColumns(base, inputs, [targetColumn(base, 'task', main), ...resolved.flatMap((r) => r.targets)]),
    offsets,
    resolved: resolved.map((r) => r.targets),
  };
}

/**
 * Trains a variant's networks — the main task alone, with each member and (for the curve heuristics) each member
 * alone, or with all members at once — for the seeds, into a journal of its own. A member's columns weigh 1/width
 * each in the objective, so a many-column head counts as one task.
 */
async function trainVariant(context: Context, variant: Variant, seeds: number[], journalPath: string, singly: boolean) {
  const { spec, base } = context;
  const trainOf = (r: { seed: number; fold: number }): Int32Array =>
    splitFor(spec.split, base.rows, r.seed, r.fold).train;
  const first = variantLayout(context, variant.members, trainOf(replicationsOf(spec.split, seeds)[0]));
  const { offsets } = first;
  const columns = variant.members.map((_, k) =>
    Array.from({ length: offsets[k + 1] - offsets[k] }, (_, j) => offsets[k] + j),
  );
  const groups: Group[] = uniqueGroups(
    singly ? [[0], ...columns.flatMap((c) => [[0, ...c], c])] : [[0], [0, ...columns.flat()]],
  );
  const taskWeights = [1, ...columns.flatMap((c) => c.map(() => 1 / c.length))];
  const engine = { ...spec.engine, taskWeights };
  const config = {
    ...sweepConfig(first.dataset, engine, spec.split),
    // Rule-based members choose their columns per replication: the configuration names the rules, not one choice.
    candidates: variant.members.map((c) => ({ name: context.candidates[c].name, rule: context.candidates[c].rule })),
  };
  config.data = {
    ...config.data,
    featureNames: [`${base.featureNames.length} inputs minus the members' moved features`],
    // one name per trained column (a candidate of several columns, e.g. moved:top3, names each), so that the journal's
    // groups index its task names and a rerun can read the journal back
    taskNames: [
      base.taskNames[context.main],
      ...variant.members.flatMap((c, k) => {
        const name = context.candidates[c].name;
        return columns[k].length === 1 ? [name] : columns[k].map((_, j) => `${name}#${j + 1}`);
      }),
    ],
  };
  const sweep = await runSweep({
    dataset: first.dataset,
    config,
    groups: SweepGroups.of(groups),
    seeds,
    journalPath,
    backend: context.backend,
    workers: spec.workers,
    datasetOf: (r) => variantLayout(context, variant.members, trainOf(r)).dataset,
    quiet: context.quiet,
    bar: { label: `auxiliary ${variant.key}`, transient: true },
  });
  return { records: sweep.journal.records, offsets, sweep };
}

/** Heuristics on each replication's training rows, averaged; learning curves from the journal's per-epoch losses. */
function candidateResult(
  context: Context,
  candidate: AuxiliaryCandidate,
  losses: CandidateLosses,
  measurement: CandidateMeasurement,
  allInputs: Map<string, number>,
  replications: { seed: number; fold: number; key: string }[],
): CandidateResult {
  const { spec, base, main } = context;
  const chosen = new Map<string, number>();
  const label: HeuristicValues[] = replications.map((r) => {
    const train = splitFor(spec.split, base.rows, r.seed, r.fold).train;
    const { targets } = candidate.resolve(train);
    const names = targets.map((t) => t.name).join(',');
    chosen.set(names, (chosen.get(names) ?? 0) + 1);
    const values = labelHeuristics(
      targets.map((t) => columnValues(base, t, train)),
      columnValues(base, targetColumn(base, 'task', main), train),
    );
    const curves = losses.curves[replications.indexOf(r)];
    const weights = Array.from({ length: losses.width }, () => 1 / losses.width);
    const auxiliary = curves ? curveFeatures(curves.auxiliary, weights) : { slope: NaN, plateau: NaN };
    const mainCurve = curves ? curveFeatures(curves.main, [1]) : { slope: NaN, plateau: NaN };
    return {
      ...values,
      auxSlope: auxiliary.slope,
      auxPlateau: auxiliary.plateau,
      mainPlateau: mainCurve.plateau,
      plateauGap: auxiliary.plateau - mainCurve.plateau,
    };
  });
  const heuristics = Object.fromEntries(
    Object.keys(label[0]).map((key) => [key, mean(label.map((v) => v[key as keyof HeuristicValues]))]),
  ) as HeuristicValues;
  const withLoss = new Map(
    losses.test.flatMap((table, k) => {
      const entry = table.entries.find((e) => e.group.length === losses.width + 1);
      return entry ? [[losses.seeds[k], entry.loss[0]] as const] : [];
    }),
  );
  return {
    name: candidate.name,
    kind: candidate.kind,
    rule: candidate.rule,
    columns: [...chosen]
      .map(([names, count]) => ({ names: names.split(','), replications: count }))
      .sort((a, b) => b.replications - a.replications),
    width: losses.width,
    validationGain: measurement.validationGain,
    ...(candidate.kind === 'moved' ? { netGain: gainAgainst(withLoss, allInputs, spec.level) } : {}),
    heuristics,
  };
}

/**
 * The closed loop: the recommended set trained with the main task on seeds the ranking never saw, scored on test
 * against the main task alone (same inputs, and all inputs) and against the best single candidate.
 */
async function checkSetOnFreshSeeds(
  context: Context,
  set: number[],
  seeds: number[],
  count: number,
  root: string,
): Promise<ClosedLoopAuxiliary> {
  const fresh = Array.from({ length: count }, (_, k) => Math.max(...seeds) + 1 + k);
  const { level } = context.spec;
  if (!context.quiet)
    process.stderr.write(`closed loop: the recommended set and its baselines on fresh seeds ${fresh.join(', ')}\n`);
  // One journal per set, so that a rerun that recommends another set trains it instead of refusing the first's journal.
  const journalOf = (members: number[]): string =>
    join(root, 'closed-loop', folderName(members.map((c) => context.candidates[c].name).join('+')), 'journal.jsonl');
  const together = await trainVariant(context, { key: 'set', members: set }, fresh, journalOf(set), false);
  const baseline = await trainVariant(
    context,
    { key: 'main-alone', members: [] },
    fresh,
    join(root, 'closed-loop', 'main-alone', 'journal.jsonl'),
    false,
  );
  const allInputs = mainLossBySeed(baseline.records.values(), [0]);
  const setGroup = Array.from({ length: together.offsets[together.offsets.length - 1] }, (_, k) => k);
  const withSet = mainLossBySeed(together.records.values(), setGroup);
  let bestSingleNetGain: Interval | undefined;
  if (set.length > 1) {
    const single = await trainVariant(
      context,
      { key: 'best-single', members: [set[0]] },
      fresh,
      journalOf([set[0]]),
      false,
    );
    const singleGroup = Array.from({ length: single.offsets[1] }, (_, k) => k);
    bestSingleNetGain = gainAgainst(mainLossBySeed(single.records.values(), singleGroup), allInputs, level);
  }
  return {
    seeds: fresh,
    set,
    gain: gainAgainst(withSet, mainLossBySeed(together.records.values(), [0]), level),
    netGain: gainAgainst(withSet, allInputs, level),
    bestSingleNetGain,
  };
}
