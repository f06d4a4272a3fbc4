import { existsSync } from 'node:fs';
import { estimateAffinity, type AffinityEstimate } from '../affinity/estimate.js';
import { adaptiveStop, type AdaptiveOutcome } from './adaptive.js';
import { replicatesFromRecords } from '../affinity/gain.js';
import { isNullControlName, withNullControls } from '../data/controls.js';
import { inferCells, type CellInference } from '../affinity/inference.js';
import { nullControlReport, type NullControlReport } from '../affinity/nullControls.js';
import type { Dataset } from '../data/dataset.js';
import { dataWarnings, describeDataset, summaryLine, type DatasetSummary } from '../data/describe.js';
import { InputError } from '../data/errors.js';
import { refuseLink } from '../io/write.js';
import { selectBackend, type BackendName } from '../engine/backend.js';
import { configHash, sweepConfig, type SweepConfig } from '../sweep/config.js';
import { journalPathOf, readJournal, testLossOf, type NetworkRecord } from '../sweep/journal.js';
import { seedEvidence } from '../allocation/evidence.js';
import { pairGainMatrix } from '../grouping/pairGain.js';
import { meanLossTable } from '../grouping/replicated.js';
import { symmetrise } from '../math/matrix.js';
import {
  allocationSummary,
  CELL_SOURCES_METHOD,
  isAllocated,
  runAllocation,
  type AllocationOutcome,
} from './allocate.js';
import { writeFolderDefinition } from './folderDefinition.js';
import { isImportedConfig, type ImportedConfig } from '../sweep/imported.js';
import {
  networkId,
  pairwiseGroups,
  parseGroups,
  parseSeeds,
  replicationsOf,
  uniqueGroups,
  type Group,
} from '../sweep/plan.js';
import { chunkModel, inputShapeOf, runSweep, type Shard, type SweepOutcome, type SweepRequest } from '../sweep/run.js';
import { clearLine, formatSeconds, transientLine } from '../sweep/progress.js';
import type { QueueJob, QueueResult } from '../sweep/queue.js';
import { defaultWorkers, trainNetworksInParallel } from '../engine/parallel.js';
import {
  checkTimeLimit,
  planCheckOf,
  planCheckText,
  planWithin,
  type PlanCheck,
  isLargeSweep,
  planSweep,
  planText,
  type CheaperRoute,
  type SweepPlan,
} from '../sweep/planner.js';
import { EXECUTION_OPTIONS } from '../options/execution.js';
import type { z } from 'zod';
import { inferenceSchema } from '../options/inference.js';
import { parseOptions } from '../options/option.js';
import { prepareSplit, splitFor } from '../data/split.js';
import { hostname } from 'node:os';
import type { Decided } from './write.js';
import { journalProvenance } from '../report/provenance.js';
import type { AnalysisSpec } from './spec.js';
import { analysisData } from './modelData.js';
import { probeUserModel, type Watchdog } from '../engine/userModel/watchdog.js';

export interface PairwiseResult extends Decided {
  estimate: AffinityEstimate;
  inference: CellInference;
  nullControls?: NullControlReport;
  adaptive?: AdaptiveOutcome;
  sweep: SweepOutcome;
  /** The planner's estimate of the first round's training against its measured time (absent when nothing trained). */
  plan?: PlanCheck;
  backend: BackendName;
  journalPath: string;
  /** The sweep's configuration (data fingerprint, engine, split), as its journal records it. */
  config: SweepConfig;
  /** How a decision-focused or short-run allocation went (`allocation`), and which cells it measured. */
  allocation?: AllocationOutcome;
}

export { journalPathOf } from '../sweep/journal.js';
export type { AdaptiveOutcome } from './adaptive.js';

/**
 * Loads the data (plus any null-control tasks), sweeps singles and pairs (and any extra groups) over the seeds, and
 * writes the affinity files. With a reliability target it keeps adding seeds until the target or the time budget.
 */
export interface PairwiseOptions {
  /** Progress lines on stderr; a library call is silent unless it asks for them. */
  progress?: boolean;
  queue?: string;
  extraGroups?: Group[];
  /** The definition's data set, when the caller has already read it (`loadSpecDataset`). */
  loaded?: Dataset;
  /** Refuse a sweep whose training is estimated at more hours than this (default: the execution options'). */
  maxHours?: number;
}

/** The analysis's sweep plan: its size and its time on this machine from a short calibration on its backend. */
export async function planAnalysis(
  spec: AnalysisSpec,
  options: PairwiseOptions = {},
): Promise<{ plan: SweepPlan; taskCount: number; routes: CheaperRoute[] }> {
  const { dataset, backend, groups, config, watchdog } = await prepareAnalysis(spec, { ...options, progress: false });
  const plan = await planOf(spec, dataset, backend, config, uniqueGroups([...groups, ...(options.extraGroups ?? [])]), {
    watchdog,
  });
  return { plan, taskCount: dataset.taskNames.length, routes: await routesFor(plan) };
}

/** The proxies' routes, for a large sweep only: their implementations load tfjs, which a native sweep does not need. */
async function routesFor(plan: SweepPlan): Promise<CheaperRoute[]> {
  if (!isLargeSweep(plan)) return [];
  return (await import('../affinity/proxies/registry.js')).cheaperRoutes();
}

/** The sweep's plan; with `toTrain`, only that many of its networks are left to train (the journal holds the rest). */
function planOf(
  spec: AnalysisSpec,
  dataset: Dataset,
  backend: BackendName,
  config: SweepConfig,
  groups: Group[],
  {
    toTrain,
    maxHours,
    printed = true,
    watchdog,
  }: { toTrain?: number; maxHours?: number; printed?: boolean; watchdog?: Watchdog } = {},
): Promise<SweepPlan> {
  const seeds = parseSeeds(spec.seeds);
  const request = {
    data: prepareSplit(dataset, splitFor(spec.split, dataset.rows, seeds[0], 0)),
    kinds: dataset.taskKinds,
    groups,
    replications: replicationsOf(spec.split, seeds).length,
    settings: spec.engine,
    backend,
    workers: spec.workers ?? defaultWorkers(),
    ...chunkModel(config, dataset, watchdog),
    toTrain,
  };
  return maxHours === undefined ? planSweep(request) : planWithin(request, maxHours, printed);
}

/** The records of the journal at `path` when it holds results of this configuration; undefined when there is none or it holds another's. */
function journalRecordsOf(path: string, config: SweepConfig): Map<string, NetworkRecord> | undefined {
  if (!existsSync(path)) return undefined;
  refuseLink(path); // the folder's own journal, which the sweep appends to
  const { header, records } = readJournal(path);
  return header.configHash === configHash(config) ? records : undefined;
}

export async function runPairwiseAnalysis(spec: AnalysisSpec, options: PairwiseOptions = {}): Promise<PairwiseResult> {
  const prepared = await prepareAnalysis(spec, options);
  const { dataset, controlOf, backend, dataSummary, config, journalPath, say } = prepared;
  const groups = uniqueGroups([...prepared.groups, ...(options.extraGroups ?? [])]);
  const started = Date.now();
  let seeds = parseSeeds(spec.seeds);
  const maxHours = options.maxHours ?? EXECUTION_OPTIONS.maxHours.default;
  const done = journalRecordsOf(journalPath, config);
  // the limit is on training: a journal that already holds the networks is analysed whatever its size
  const toTrain = replicationsOf(spec.split, seeds).reduce(
    (n, r) => n + groups.filter((g) => !done?.has(networkId(r.key, g))).length,
    0,
  );
  let plan: SweepPlan | undefined;
  let check: PlanCheck | undefined;
  if (toTrain > 0) {
    plan = await planOf(spec, dataset, backend, config, groups, {
      toTrain,
      maxHours,
      printed: options.progress === true,
      watchdog: prepared.watchdog,
    });
    const routes = await routesFor(plan);
    checkTimeLimit(plan, maxHours, 'this sweep', dataset.taskNames.length, routes);
    if (options.progress) planText(plan, dataset.taskNames.length, routes).forEach(say);
  }
  // an allocation trains at most the full sweep's networks (plus short runs): the check above bounds it
  if (isAllocated(spec)) return allocatedAnalysis(spec, prepared, groups, options, { maxHours, since: started });
  let trained = 0;
  let trainingSeconds = 0;
  let round = 'sweep';
  for (;;) {
    const request = {
      dataset,
      config,
      groups,
      seeds,
      journalPath,
      backend,
      workers: spec.workers,
      dataSummary,
      quiet: !options.progress,
      bar: { label: round, transient: true },
      watchdog: prepared.watchdog,
      onOpened: () => writeFolderDefinition(spec, spec.out),
      timeLimit: { maxHours, since: started },
    };
    const sweep = options.queue
      ? await (await import('../sweep/queue.js')).runSweepOnQueue(request, options.queue, spec, configHash(config))
      : await runSweep(request);
    // the plan covers the first round's networks (an adaptive run's later seeds were not planned)
    if (plan && !check && sweep.trained > 0) check = planCheckOf(plan, sweep.seconds);
    trained += sweep.trained;
    trainingSeconds += sweep.seconds;
    const replicates = replicatesFromRecords(
      sweep.journal.records,
      dataset.taskNames.length,
      replicationsOf(spec.split, seeds).map((r) => r.key),
    );
    const estimate = estimateAffinity(dataset.taskNames, replicates, spec.level);
    // one more seed costs about what one seed of the last round cost (at least a second)
    const nextSeedMinutes = Math.max(sweep.seconds / Math.max(1, seeds.length), 1) / 60;
    const adaptive =
      spec.untilReliability === undefined
        ? undefined
        : adaptiveStop(
            {
              target: spec.untilReliability,
              confidence: spec.reliabilityConfidence,
              ...(spec.maxMinutes <= maxHours * 60
                ? { maxMinutes: spec.maxMinutes, budget: `the ${spec.maxMinutes}-minute budget` }
                : { maxMinutes: maxHours * 60, budget: `--max-hours ${maxHours}` }),
            },
            estimate,
            seeds,
            (Date.now() - started) / 60_000 + nextSeedMinutes,
          );
    if (adaptive && !adaptive.reason) {
      round = `sweep: reliability ${adaptive.reliability.toFixed(2)} (lower bound ${Number.isFinite(adaptive.low) ? adaptive.low.toFixed(2) : 'n/a'}) with ${seeds.length} seeds, below ${spec.untilReliability}; seed ${Math.max(...seeds) + 1}`;
      if (options.progress) transientLine(round);
      seeds = [...seeds, Math.max(...seeds) + 1];
      continue;
    }
    if (options.progress) clearLine();
    say(
      `sweep: ${trained > 0 ? `trained ${trained} networks in ${formatSeconds(trainingSeconds)}` : 'nothing to train'} (${sweep.journal.records.size - trained} already in ${journalPath}); ${seeds.length} seeds${adaptive ? `, ${adaptive.reason}` : ''}${check ? `; the plan's ${check.networks} networks: ${planCheckText(check)}` : ''}`,
    );
    const inference = inferCells(replicates, spec.fdr, spec.subtractNullBias ? controlOf : undefined);
    const nullControls = spec.nullTasks > 0 ? nullControlReport(estimate, inference, controlOf) : undefined;
    const sections = {
      inference,
      nullControls,
      adaptive,
      config: { name: spec.name, engine: config.engine, split: config.split },
    };
    const affinity = {
      provenance: journalProvenance(config, sweep.journal.records),
      data: dataSummary,
      ...estimate,
      ...sections,
      ...(check ? { plan: check } : {}),
    };
    return {
      estimate,
      inference,
      nullControls,
      adaptive,
      sweep,
      ...(check ? { plan: check } : {}),
      backend,
      journalPath,
      config,
      out: spec.out,
      artefacts: { affinity },
    };
  }
}

/**
 * The analysis with a decision-focused or short-run allocation: the strategy's rounds, then the matrix over the seeds
 * that trained every single. A cell's mean and interval use only the seeds that trained its pair in full; its source
 * (measured, approximated from short runs) and its seed count go into affinity.json and affinity.csv.
 */
async function allocatedAnalysis(
  spec: AnalysisSpec,
  prepared: Awaited<ReturnType<typeof prepareAnalysis>>,
  groups: Group[],
  options: PairwiseOptions,
  timeLimit: { maxHours: number; since: number },
): Promise<PairwiseResult> {
  const { dataset, controlOf, backend, dataSummary, config, journalPath, say, watchdog } = prepared;
  const { sweep, outcome } = await runAllocation({
    spec,
    dataset,
    config,
    backend,
    journalPath,
    dataSummary,
    groups,
    queue: options.queue,
    timeLimit,
    watchdog,
    quiet: !options.progress,
    say,
    onOpened: () => writeFolderDefinition(spec, spec.out),
  });
  const replications = replicationsOf(
    spec.split,
    seedEvidence(sweep.journal.records.values(), dataset.taskNames, spec.split).seeds,
  ).map((r) => r.key);
  const replicates = replicatesFromRecords(
    sweep.journal.records,
    dataset.taskNames.length,
    replications,
    testLossOf,
    'nan',
  );
  const measured = estimateAffinity(dataset.taskNames, replicates, spec.level);
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
    config: { name: spec.name, engine: config.engine, split: config.split },
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

/** Trains one shard of the analysis's sweep into its own journal; `tra merge` combines the shards. */
export async function runShard(
  spec: AnalysisSpec,
  shard: Shard,
  options: { progress?: boolean } = {},
): Promise<SweepOutcome> {
  const { dataset, backend, dataSummary, groups, config, journalPath, watchdog } = await prepareAnalysis(spec, options);
  return runSweep({
    dataset,
    config,
    groups,
    seeds: parseSeeds(spec.seeds),
    journalPath,
    backend,
    workers: spec.workers,
    dataSummary,
    shard,
    quiet: !options.progress,
    watchdog,
    onOpened: () => writeFolderDefinition(spec, spec.out),
  });
}

/**
 * Trains `groups` for `seeds` with the analysis's data and settings into a journal of its own: fresh replications
 * that played no part in choosing the groups (the closed-loop check of a grouping).
 */
export async function sweepGroups(
  spec: AnalysisSpec,
  groups: Group[],
  seeds: number[],
  journalPath: string,
  options: { progress?: boolean; bar?: SweepRequest['bar'] } = {},
): Promise<SweepOutcome> {
  const { dataset, backend, dataSummary, config, watchdog } = await prepareAnalysis(spec, {});
  return runSweep({
    dataset,
    config,
    groups,
    seeds,
    journalPath,
    backend,
    workers: spec.workers,
    dataSummary,
    quiet: !options.progress,
    bar: options.bar,
    watchdog,
  });
}

/** A worker serves many jobs of one analysis: load and check its data once. */
const preparedForJobs = new Map<string, ReturnType<typeof prepareAnalysis>>();

/**
 * A queue worker's side of a job: rebuild the data and settings from the job's analysis definition, check that they
 * reproduce the coordinator's configuration (same data bytes, same settings), and train the batch in worker threads.
 */
export async function trainQueueJob(job: QueueJob, workers: number): Promise<QueueResult> {
  const spec = job.analysis as AnalysisSpec;
  const key = JSON.stringify(spec);
  let prepared = await preparedForJobs.get(key)?.catch(() => undefined);
  if (!prepared || configHash(prepared.config) !== job.configHash) {
    // Read the data again: it may have been fixed since this worker last read it (a retried job after a mismatch).
    const fresh = prepareAnalysis(spec, {});
    preparedForJobs.set(key, fresh);
    prepared = await fresh.catch((error) => {
      preparedForJobs.delete(key);
      throw error;
    });
  }
  const { dataset, backend, config, watchdog } = prepared;
  if (configHash(config) !== job.configHash)
    throw new Error(
      `this worker's copy of ${spec.data}${spec.model && spec.model !== spec.data ? ` or ${spec.model}` : ''} or its settings differ from the coordinator's (configuration hash mismatch)`,
    );
  const { batch } = job;
  const started = Date.now();
  const data = prepareSplit(dataset, splitFor(config.split, dataset.rows, batch.seed, batch.fold));
  const outcomes = await trainNetworksInParallel(
    {
      data,
      kinds: dataset.taskKinds,
      groups: batch.groups,
      settings: config.engine,
      seed: batch.seed,
      backend,
      ...chunkModel(config, dataset, watchdog),
    },
    workers,
    { threadsOnly: true },
  );
  return { outcomes, backend, seconds: (Date.now() - started) / 1000, worker: `${hostname()}:${process.pid}` };
}

/** The groups a definition's sweep trains: every task alone, every pair, and the definition's extra groups. */
export const sweepGroupsOf = (spec: Pick<AnalysisSpec, 'groups'>, taskNames: string[]): Group[] =>
  uniqueGroups([...pairwiseGroups(taskNames.length), ...(spec.groups ? parseGroups(spec.groups, taskNames) : [])]);

async function prepareAnalysis(spec: AnalysisSpec, options: PairwiseOptions) {
  const { dataset: loaded, model } = await analysisData(spec, options.loaded);
  if (loaded.taskNames.length < 2) throw new InputError('a pairwise analysis needs at least two tasks');
  if (spec.engine.taskWeights && spec.engine.taskWeights.length !== loaded.taskNames.length + spec.nullTasks)
    throw new InputError(
      `taskWeights has ${spec.engine.taskWeights.length} entries for ${loaded.taskNames.length + spec.nullTasks} tasks`,
    );
  const { dataset, controlOf } = withNullControls(loaded, spec.nullTasks);
  // A task of weight 0 trains nothing in its single-task network, so every gain of its row would be noise.
  const idle = spec.engine.taskWeights?.indexOf(0) ?? -1;
  if (idle >= 0)
    throw new InputError(
      spec.engine.taskWeights?.every((w) => w === 0)
        ? 'taskWeights are all 0: no network would train anything; give each task a positive weight'
        : `taskWeights: task '${dataset.taskNames[idle]}' has weight 0, so its single-task network would train nothing and its gains would be noise; give each task a positive weight (leave a task out with --tasks)`,
    );
  const dataSummary = describeDataset(loaded);
  const say = (line: string): void => {
    if (options.progress) process.stderr.write(`${line}\n`);
  };
  [summaryLine(spec.data, dataSummary), ...(loaded.notes ?? []), ...dataWarnings(dataSummary)].forEach(say);
  const groups = sweepGroupsOf(spec, dataset.taskNames);
  // A user's model is checked (its backend chosen, one training step timed for the watchdog) now, before a journal
  // exists, in a probe thread under the watchdog.
  const probe =
    model &&
    (await probeUserModel(
      {
        kind: 'train',
        ref: model,
        requested: spec.backend,
        inputShape: inputShapeOf(dataset),
        slots: Math.max(...groups.map((g) => g.length)),
        batchSize: spec.engine.batchSize,
      },
      { seconds: spec.watchdog },
    ));
  // the probe thread chose and checked the model's backend; this thread never runs the model
  const backend = probe ? probe.backend : await selectBackend(spec.backend, { trainerOnly: true });
  const watchdog: Watchdog | undefined = probe && { stepMs: probe.stepMs, seconds: spec.watchdog };
  const config = sweepConfig(dataset, spec.engine, spec.split, model);
  return {
    dataset,
    controlOf,
    backend,
    dataSummary,
    groups,
    config,
    journalPath: journalPathOf(spec.out),
    say,
    watchdog,
  };
}

/** The affinity of a folder's journal, a sweep's or an import's (e.g. at another confidence level): no training, nothing written. */
export interface JournalAffinity extends Decided {
  estimate: AffinityEstimate;
  inference: CellInference;
}

/** Computes the affinity files' contents from an existing journal; `writeArtefacts` writes them. */
export function affinityFromJournal(outDir: string, given: z.input<typeof inferenceSchema> = {}): JournalAffinity {
  const { level, fdr, subtractNullBias } = parseOptions(inferenceSchema, given, 'affinity options');
  const { header, records } = readJournal(journalPathOf(outDir));
  const config = header.config as SweepConfig | ImportedConfig;
  const taskNames = isImportedConfig(config) ? config.taskNames : config.data.taskNames;
  const pairs = pairwiseGroups(taskNames.length).length;
  const finished = new Map<string, number>();
  for (const r of records.values())
    if (r.group.length <= 2) finished.set(r.replication, (finished.get(r.replication) ?? 0) + 1);
  const replications = [...finished].filter(([, n]) => n === pairs).map(([key]) => key);
  if (replications.length === 0)
    throw new InputError(`${journalPathOf(outDir)} holds no replication with every single and pair network finished`);
  const replicates = replicatesFromRecords(records, taskNames.length, replications);
  const estimate = estimateAffinity(taskNames, replicates, level);
  // the journal names its null controls; which real task each permutes does not matter here, only that it is one
  const controlOf = taskNames.map((name) => (isNullControlName(name) ? 0 : -1));
  const hasControls = controlOf.some((c) => c >= 0);
  if (subtractNullBias && !hasControls)
    throw new InputError(
      `--subtract-null-bias: ${journalPathOf(outDir)} has no null-control tasks (sweep with --null-tasks N)`,
    );
  const inference = inferCells(replicates, fdr, subtractNullBias ? controlOf : undefined);
  const nullControls = hasControls ? nullControlReport(estimate, inference, controlOf) : undefined;
  const affinity = {
    provenance: journalProvenance(config, records, header.configHash),
    data: header.dataSummary as DatasetSummary | undefined,
    ...estimate,
    inference,
    nullControls,
  };
  return { estimate, inference, out: outDir, artefacts: { affinity } };
}
