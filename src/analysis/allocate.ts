import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { estimateAffinity } from '../affinity/estimate.js';
import { replicatesFromRecords } from '../affinity/gain.js';
import { inferCells } from '../affinity/inference.js';
import { nullControlReport } from '../affinity/nullControls.js';
import type { CellSource } from '../allocation/cells.js';
import {
  completedTables,
  evidenceCells,
  networkEpochsOf,
  seedEvidence,
  type AllocationEvidence,
  type ShortRunAgreement,
} from '../allocation/evidence.js';
import {
  ALLOCATION_STRATEGIES,
  type AllocationSettings,
  type AllocationStep,
  type AllocationStrategyName,
  type PlannedNetwork,
} from '../allocation/strategies.js';
import { InputError } from '../data/errors.js';
import type { EngineSettings } from '../engine/settings.js';
import { defaultMaxGroupSize } from '../grouping/curve.js';
import type { LossTable } from '../grouping/lossTable.js';
import { pairGainMatrix } from '../grouping/pairGain.js';
import { meanLossTable } from '../grouping/replicated.js';
import { symmetrise } from '../math/matrix.js';
import { journalProvenance } from '../report/provenance.js';
import { engineOf } from '../sweep/config.js';
import { testLossOf, type Records } from '../sweep/journal.js';
import { parseSeeds, replicationsOf, type SweepGroups } from '../sweep/plan.js';
import type { SweepOutcome, SweepRequest, TimeLimit } from '../sweep/run.js';
import { writeFolderDefinition } from './folderDefinition.js';
import type { PairwiseOptions, PairwiseResult } from './pairwise.js';
import type { AnalysisSpec } from './spec.js';
import { prepareAnalysis, type PreparedAnalysis } from './trainers.js';

/** One round of an allocation: what it trained after deciding, and how firm the decision was before. */
export interface AllocationRound {
  round: number;
  /** Full-length and short networks trained after this round's decision. */
  networks: number;
  shortRuns: number;
  /** Network-epochs spent before this round's decision. */
  networkEpochs: number;
  /** Expected regret of the decision under the remaining uncertainty (NaN before any noise estimate or in fixed strategies). */
  expectedRegret: number;
}

/** How an allocated sweep went, and what its cells rest on: the artefacts and the report show it. */
export interface AllocationOutcome {
  strategy: AllocationStrategyName;
  description: string;
  stop: string;
  rounds: AllocationRound[];
  networkEpochs: number;
  /** Network-epochs of a full sweep of the definition's seeds, at most (every network trained all epochs). */
  fullSweepNetworkEpochs: number;
  shortRuns?: ShortRunAgreement;
  shortJournalPath?: string;
  /** Per directed cell (validation losses): measured, approximated (short runs only) or predicted; null on the diagonal. */
  source: (CellSource | null)[][];
  /** Per directed cell, the seeds that trained the pair in full. */
  seeds: number[][];
  /** The seeds' validation and test tables with every pair completed (allocation/cells.ts): what grouping reads. */
  tables: { validation: LossTable[]; test: LossTable[] };
}

/**
 * The budgets whose decisions the allocation watches: every budget up to 24 tasks; beyond, a geometric grid (1, 2, 3, 4,
 * 6, 8, 12, ... and T), so that a round's draws stay seconds at 174 tasks. The grouping itself reports every budget.
 */
export function allocationBudgets(taskCount: number): number[] {
  if (taskCount <= 24) return Array.from({ length: taskCount }, (_, b) => b + 1);
  const grid = new Set<number>([taskCount]);
  for (let b = 1; b < taskCount; b *= 2) {
    grid.add(b);
    if (Math.round(b * 1.5) < taskCount) grid.add(Math.round(b * 1.5));
  }
  return [...grid].sort((a, b) => a - b);
}

/** The strategy's settings for a definition: the full sweep it must match is the definition's seeds. */
export function allocationSettings(spec: AnalysisSpec, taskCount: number): AllocationSettings {
  const pairs = (taskCount * (taskCount - 1)) / 2;
  return {
    budgets: allocationBudgets(taskCount),
    maxGroupSize: defaultMaxGroupSize(taskCount),
    seeds: parseSeeds(spec.seeds).length,
    screenSeeds: 2,
    shortFraction: spec.shortFraction,
    tolerance: 0.001,
    indifference: spec.indifference,
    roundSize: Math.max(4, Math.ceil(pairs / 5)),
    reliability: spec.untilReliability ?? 0.7,
    maxSeeds: parseSeeds(spec.seeds).length,
    draws: 8,
    firstSeed: Math.min(...parseSeeds(spec.seeds)),
  };
}

export interface AllocationContext {
  spec: AnalysisSpec;
  /** The definition's trainer (the built-in networks, a user's model or a command): it trains here or on the queue. */
  prepared: PreparedAnalysis;
  groups: SweepGroups;
  queue?: string;
  /** The sweep's time limit (`--max-hours`, since the command started): a round stops between journal appends once it has passed. */
  timeLimit?: SweepRequest['timeLimit'];
  progress?: boolean;
  say: (line: string) => void;
  onOpened?: () => void;
}

/**
 * Trains what the definition's allocation strategy plans, round by round, until it stops: full-length networks into
 * the sweep's journal, short runs into `short-runs/journal.jsonl` beside it (their epochs are another configuration).
 * Works with whatever trains a planned list: the built-in trainer, a user's model, or queue workers.
 */
export async function runAllocation(
  context: AllocationContext,
): Promise<{ sweep: SweepOutcome; outcome: AllocationOutcome }> {
  const { spec, prepared, say } = context;
  if (spec.subtractNullBias)
    throw new InputError(
      `${spec.name}: --allocation ${spec.allocation} trains only some pairs on a seed, so the null controls' bias cannot be subtracted cell by cell; use --allocation full`,
    );
  const strategy = ALLOCATION_STRATEGIES[spec.allocation as AllocationStrategyName];
  const { taskNames } = prepared;
  const settings = allocationSettings(spec, taskNames.length);
  const engine = engineOf(prepared.config);
  const shortEpochs = Math.max(1, Math.round(spec.shortFraction * engine.epochs));
  const shortSpec: AnalysisSpec = { ...spec, engine: { ...spec.engine, epochs: shortEpochs } };
  const shortJournalPath = join(spec.out, 'short-runs', 'journal.jsonl');
  let shortTrainer: Promise<PreparedAnalysis> | undefined;
  const started = Date.now();
  const train = async (
    networks: PlannedNetwork[],
    which: { trainer: PreparedAnalysis; journalPath: string },
  ): Promise<SweepOutcome> =>
    which.trainer.sweep(
      {
        groups: context.groups,
        seeds: networks.length
          ? [...new Set(networks.map((n) => n.seed))].sort((a, b) => a - b)
          : parseSeeds(spec.seeds),
        journalPath: which.journalPath,
        dataSummary: which.trainer.dataSummary,
        networks,
        onOpened: context.onOpened,
        timeLimit: context.timeLimit,
      },
      { progress: context.progress, queue: context.queue },
    );
  const short = async (networks: PlannedNetwork[]): Promise<SweepOutcome> => {
    // the definition at the short epochs is a configuration of its own, which a queue worker rebuilds from the job's
    // definition like any other; its data is read again only when the definition does not hold it (a model's loadData)
    shortTrainer ??= prepareAnalysis(shortSpec, { loaded: prepared.dataset });
    return train(networks, { trainer: await shortTrainer, journalPath: shortJournalPath });
  };
  // the journals as they stand (a resumed allocation continues from them): an empty round opens them
  const full = { trainer: prepared, journalPath: prepared.journalPath };
  let main = await train([], full);
  let shortRuns = existsSync(shortJournalPath) ? await short([]) : undefined;
  const rounds: AllocationRound[] = [];
  let evidence: AllocationEvidence | undefined;
  let stop = '';
  for (let round = 0; ; round++) {
    evidence = evidenceOf(taskNames, spec, main.journal.records, shortRuns?.journal.records, shortEpochs, engine);
    const step: AllocationStep = await strategy.next(evidence, settings);
    const toTrain = step.networks.filter((n) => !n.short);
    const shortToTrain = step.networks.filter((n) => n.short);
    rounds.push({
      round,
      networks: toTrain.length,
      shortRuns: shortToTrain.length,
      networkEpochs: evidence.networkEpochs,
      expectedRegret: step.uncertainty?.expectedRegret ?? NaN,
    });
    if (step.stop || step.networks.length === 0) {
      stop = step.stop ?? 'nothing left to train';
      break;
    }
    const minutes = (Date.now() - started) / 60_000;
    if (minutes > spec.maxMinutes) {
      stop = `stopped by the ${spec.maxMinutes}-minute budget after ${round} rounds`;
      break;
    }
    say(
      `allocation (${spec.allocation}) round ${round + 1}: ${toTrain.length} full-length network(s)${shortToTrain.length ? ` and ${shortToTrain.length} short run(s) of ${shortEpochs} epochs` : ''}${Number.isFinite(rounds[round].expectedRegret) ? `; expected regret of the decision now (estimated) ${rounds[round].expectedRegret.toPrecision(2)}` : ''}`,
    );
    if (shortToTrain.length) shortRuns = await short(shortToTrain);
    if (toTrain.length) main = await train(toTrain, full);
  }
  if (!evidence || evidence.full.seeds.length === 0)
    throw new InputError(`${spec.name}: the allocation stopped before any seed had every single-task network`);
  // groups beyond pairs (the definition's extra groups, higher-order groups to measure) train on every seed
  const larger = context.groups.filter((g) => g.length > 2);
  if (larger.length) {
    main = await train(
      evidence.full.seeds.flatMap((seed) => larger.map((group) => ({ seed, group, short: false }))),
      full,
    );
    evidence = evidenceOf(taskNames, spec, main.journal.records, shortRuns?.journal.records, shortEpochs, engine);
  }
  const { cells, shortRuns: agreement } = evidenceCells(evidence, 'validation');
  const perSeed = context.groups.length;
  const fullSweepNetworkEpochs = perSeed * settings.seeds * engine.epochs;
  const count = (source: CellSource): number => cells.cells.flat().filter((c) => c?.source === source).length;
  say(
    `allocation (${spec.allocation}): ${stop}. Cells: ${count('measured')} measured, ${count('approximated')} approximated from short runs, ${count('predicted')} predicted (never trained)${agreement && Number.isFinite(agreement.spearman) ? ` (short runs' rank agreement with full training on ${agreement.cells} cells: Spearman ${agreement.spearman.toFixed(2)}, measured)` : ''}; ${evidence.networkEpochs} network-epochs trained, a full sweep of ${settings.seeds} seeds at most ${fullSweepNetworkEpochs}`,
  );
  return {
    sweep: main,
    outcome: {
      strategy: spec.allocation as AllocationStrategyName,
      description: strategy.describe(settings),
      stop,
      rounds,
      networkEpochs: evidence.networkEpochs,
      fullSweepNetworkEpochs,
      shortRuns: agreement,
      ...(shortRuns ? { shortJournalPath } : {}),
      source: cells.cells.map((row) => row.map((c) => c?.source ?? null)),
      seeds: cells.cells.map((row) => row.map((c) => c?.seeds ?? 0)),
      tables: completedTables(evidence, cells),
    },
  };
}

function evidenceOf(
  taskNames: string[],
  spec: AnalysisSpec,
  full: Records,
  short: Records | undefined,
  shortEpochs: number,
  engine: Pick<EngineSettings, 'epochs' | 'patience'>,
): AllocationEvidence {
  const shortEngine = { ...engine, epochs: shortEpochs };
  return {
    taskNames,
    full: seedEvidence(full.values(), taskNames, spec.split),
    ...(short && short.size > 0
      ? { short: { ...seedEvidence(short.values(), taskNames, spec.split), epochs: shortEpochs } }
      : {}),
    networkEpochs: networkEpochsOf(full.values(), engine) + (short ? networkEpochsOf(short.values(), shortEngine) : 0),
  };
}

/** What affinity.json's `cells.method` says about the sources. */
export const CELL_SOURCES_METHOD =
  'measured: the pair trained in full on `seeds` seeds (its mean and interval use only those seeds, each paired with its own single-task networks; once the short runs are calibrated on six cells trained both ways, its mean also weighs its calibrated short runs by their precision, see allocation.shortRuns); approximated: only short runs trained it (their gain calibrated to full training, applied to the full-length single-task loss); predicted: no network trained it, the gain predictor learnt it from the measured cells (docs/PREDICTOR.md); neither has an interval, a verdict or a place in the reliability';

/** The allocation as affinity.json records it (the tables stay in memory). */
export function allocationSummary(outcome: AllocationOutcome) {
  const { tables: _tables, source: _source, seeds: _seeds, ...summary } = outcome;
  return {
    ...summary,
    rounds: summary.rounds.map((r) => ({
      ...r,
      expectedRegret: Number.isFinite(r.expectedRegret) ? r.expectedRegret : null,
    })),
    shortRuns: summary.shortRuns && {
      ...summary.shortRuns,
      spearman: Number.isFinite(summary.shortRuns.spearman) ? summary.shortRuns.spearman : null,
      error: Number.isFinite(summary.shortRuns.error) ? summary.shortRuns.error : null,
    },
  };
}

/**
 * The analysis with a decision-focused or short-run allocation: the strategy's rounds, then the matrix over the seeds
 * that trained every single. A cell's mean and interval use only the seeds that trained its pair in full; its source
 * (measured, approximated from short runs) and its seed count go into affinity.json and affinity.csv.
 */
export async function allocatedAnalysis(
  spec: AnalysisSpec,
  prepared: PreparedAnalysis,
  groups: SweepGroups,
  options: PairwiseOptions,
  timeLimit: TimeLimit,
): Promise<PairwiseResult> {
  const { taskNames, controlOf, backend, dataSummary, config, journalPath, say } = prepared;
  const { sweep, outcome } = await runAllocation({
    spec,
    prepared,
    groups,
    queue: options.queue,
    timeLimit,
    progress: options.progress,
    say,
    onOpened: () => writeFolderDefinition(spec, spec.out),
  });
  const replications = replicationsOf(
    spec.split,
    seedEvidence(sweep.journal.records.values(), taskNames, spec.split).seeds,
  ).map((r) => r.key);
  const replicates = replicatesFromRecords(sweep.journal.records, taskNames.length, replications, testLossOf, 'nan');
  const measured = estimateAffinity(taskNames, replicates, spec.level);
  // a pair no seed trained in full shows its approximated gain (cells.source marks it), with no interval
  const completed = pairGainMatrix(meanLossTable(outcome.tables.test));
  const mean = measured.mean.map((row, i) =>
    row.map((v, j) => (outcome.source[i][j] === 'measured' || i === j ? v : completed[i][j])),
  );
  const estimate = { ...measured, mean, groupScore: symmetrise(mean) };
  const inference = inferCells(replicates, spec.fdr);
  const nullControls = spec.nullTasks > 0 ? nullControlReport(estimate, inference, controlOf) : undefined;
  const affinity = {
    provenance: journalProvenance(config, sweep.journal.records),
    data: dataSummary,
    ...estimate,
    inference,
    nullControls,
    config: { name: spec.name, engine: engineOf(config), split: config.split },
    cells: { source: outcome.source, seeds: outcome.seeds, method: CELL_SOURCES_METHOD },
    allocation: allocationSummary(outcome),
  };
  return {
    estimate,
    inference,
    nullControls,
    sweep,
    backend,
    journalPath,
    config,
    out: spec.out,
    artefacts: { affinity },
    allocation: outcome,
  };
}
