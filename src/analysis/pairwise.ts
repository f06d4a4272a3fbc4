import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { z } from 'zod';
import { estimateAffinity, type AffinityEstimate } from '../affinity/estimate.js';
import { adaptiveStop, type AdaptiveOutcome } from './adaptive.js';
import { replicatesFromRecords } from '../affinity/gain.js';
import { inferCells, type CellInference } from '../affinity/inference.js';
import { nullControlReport, type NullControlReport } from '../affinity/nullControls.js';
import { isNullControlName } from '../data/controls.js';
import type { Dataset } from '../data/dataset.js';
import type { DatasetSummary } from '../data/describe.js';
import { InputError } from '../data/errors.js';
import { refuseLink } from '../io/write.js';
import type { AllocationOutcome } from './allocate.js';
import { EXECUTION_OPTIONS } from '../options/execution.js';
import { inferenceSchema } from '../options/inference.js';
import { parseOptions } from '../options/option.js';
import { journalProvenance } from '../report/provenance.js';
import {
  configHash,
  engineOf,
  isCommandConfig,
  taskNamesOf,
  type CommandConfig,
  type SweepConfig,
} from '../sweep/config.js';
import type { ImportedConfig } from '../sweep/imported.js';
import { journalPathOf, readJournal, type Journal, type JournalRead, type Records } from '../sweep/journal.js';
import { networkId, pairwiseGroups, parseSeeds, replicationsOf, SweepGroups, type Group } from '../sweep/plan.js';
import { planCheckOf, planCheckText, type CheaperRoute, type PlanCheck, type SweepPlan } from '../sweep/planner.js';
import type { QueueJob, QueueResult } from '../sweep/queue.js';
import { batchRecords, type Shard, type SweepOutcome } from '../sweep/run.js';
import { clearLine, formatSeconds, transientLine } from '../sweep/progress.js';
import { writeFolderDefinition } from './folderDefinition.js';
import { isAllocated, type AnalysisSpec } from './spec.js';
import { planOf, prepareAnalysis, type SweepOptions, type SweepPlanned, type WorkerOptions } from './trainers.js';
import type { Decided } from './write.js';
import { journalEvidence, routesFor } from './routes.js';

export interface PairwiseResult extends Decided {
  estimate: AffinityEstimate;
  inference: CellInference;
  nullControls?: NullControlReport;
  adaptive?: AdaptiveOutcome;
  /** The journal, and what the whole run trained (every round of an adaptive run), skipped and took. */
  sweep: SweepOutcome;
  /** The planner's estimate of the first round's training against its measured time (absent when nothing trained). */
  plan?: PlanCheck;
  /** The engine backend, or 'command' when the user's command trained the networks. */
  backend: string;
  journalPath: string;
  /** The sweep's configuration (data fingerprint, engine, split; or the command), as its journal records it. */
  config: SweepConfig | CommandConfig;
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
  const { dataset, backend, groups, config, watchdog, journalPath } = await prepareAnalysis(spec, {
    ...options,
    progress: false,
  });
  if (!dataset || isCommandConfig(config))
    throw new InputError(`${spec.name}: a command's sweep is planned by tra plan`);
  const all = withExtraGroups(groups, options.extraGroups);
  const plan = await planOf(spec, dataset, backend as Parameters<typeof planOf>[2], config, all, { watchdog });
  const done = journalReadOf(journalPath, config)?.records;
  const evidence = done && journalEvidence(spec, dataset, all, done);
  return { plan, taskCount: dataset.taskNames.length, routes: await routesFor(plan, evidence) };
}

/** The sweep's groups (unique, in order) with a caller's extra ones; without any, the sweep's groups themselves. */
const withExtraGroups = (groups: SweepGroups, extra: Group[] = []): SweepGroups => groups.with(extra);

/** The journal at `path` as read when it holds results of this configuration; undefined when there is none or it holds another's. */
function journalReadOf(path: string, config: SweepConfig | CommandConfig): JournalRead | undefined {
  if (!existsSync(path)) return undefined;
  refuseLink(path); // the folder's own journal, which the sweep appends to
  const read = readJournal(path);
  return read.header.configHash === configHash(config) ? read : undefined;
}

export async function runPairwiseAnalysis(spec: AnalysisSpec, options: PairwiseOptions = {}): Promise<PairwiseResult> {
  const prepared = await prepareAnalysis(spec, options);
  const { taskNames, controlOf, backend, dataSummary, config, journalPath, say } = prepared;
  const groups = withExtraGroups(prepared.groups, options.extraGroups);
  const started = Date.now();
  let seeds = parseSeeds(spec.seeds);
  const maxHours = options.maxHours ?? EXECUTION_OPTIONS.maxHours.default;
  // read once: the sweep opens the journal from this read (while the file is unchanged) rather than reading it again
  const read = journalReadOf(journalPath, config);
  const done: Records | undefined = read?.records;
  // the limit is on training: a journal that already holds the networks is analysed whatever its size
  const toTrain = replicationsOf(spec.split, seeds).reduce(
    (n, r) => n + (done ? groups.count((g) => !done.has(networkId(r.key, g))) : groups.length),
    0,
  );
  const planned = await prepared.plan({ groups, toTrain, maxHours, progress: options.progress, done });
  planned.lines.forEach(say);
  let check: PlanCheck | undefined;
  const timeLimit = { maxHours, since: started };
  // an allocation trains at most the full sweep's networks (plus short runs): the check above bounds it
  // an allocation's strategies, the gain predictor and grouping's curve load only for one: a plain sweep never calls them
  if (isAllocated(spec))
    return (await import('./allocate.js')).allocatedAnalysis(spec, prepared, groups, options, timeLimit);
  // the whole run's counts and time: an adaptive run's rounds add up (each round's outcome counts only its own seeds)
  let trained = 0;
  let trainingSeconds = 0;
  let round = 'sweep';
  let journal: Journal | undefined;
  for (;;) {
    const sweep = await prepared.sweep(
      {
        groups,
        seeds,
        journalPath,
        dataSummary,
        onOpened: () => writeFolderDefinition(spec, spec.out),
        timeLimit,
        journal,
        read: journal ? undefined : read,
      },
      { ...options, bar: { label: round, transient: true } },
    );
    journal = sweep.journal;
    // the plan covers the first round's networks (an adaptive run's later seeds were not planned)
    if (!check && sweep.trained > 0) check = planned.plan ? planCheckOf(planned.plan, sweep.seconds) : sweep.plan;
    trained += sweep.trained;
    trainingSeconds += sweep.seconds;
    const replicates = replicatesFromRecords(
      sweep.journal.records,
      taskNames.length,
      replicationsOf(spec.split, seeds).map((r) => r.key),
    );
    const estimate = estimateAffinity(taskNames, replicates, spec.level);
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
      config: { name: spec.name, engine: engineOf(config), split: config.split },
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
      // the last round covers every seed: what it did not train, no round did
      sweep: { ...sweep, trained, skipped: sweep.skipped + sweep.trained - trained, seconds: trainingSeconds },
      ...(check ? { plan: check } : {}),
      backend,
      journalPath,
      config,
      out: spec.out,
      artefacts: { affinity },
    };
  }
}

/** Trains one shard of the analysis's sweep into its own journal; `tra merge` combines the shards. */
export async function runShard(
  spec: AnalysisSpec,
  shard: Shard,
  options: { progress?: boolean } = {},
): Promise<SweepOutcome> {
  const { dataSummary, groups, journalPath, sweep } = await prepareAnalysis(spec, options);
  return sweep(
    {
      groups,
      seeds: parseSeeds(spec.seeds),
      journalPath,
      dataSummary,
      shard,
      onOpened: () => writeFolderDefinition(spec, spec.out),
    },
    options,
  );
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
  options: SweepOptions = {},
  timeLimit?: SweepPlanned['timeLimit'],
): Promise<SweepOutcome> {
  const { dataSummary, sweep } = await prepareAnalysis(spec, {});
  return sweep(
    { groups: SweepGroups.of(groups), seeds, journalPath, dataSummary, ...(timeLimit ? { timeLimit } : {}) },
    options,
  );
}

/** A worker serves many jobs of one analysis: load and check its data once. */
const preparedForJobs = new Map<string, ReturnType<typeof prepareAnalysis>>();

/**
 * A queue worker's side of a job: rebuild the data and settings from the job's analysis definition, check that they
 * reproduce the coordinator's configuration (same data bytes or code, same settings), and train the batch.
 */
export async function trainQueueJob(job: QueueJob, worker: WorkerOptions): Promise<QueueResult> {
  const spec = job.analysis as AnalysisSpec;
  const key = JSON.stringify(spec);
  let prepared = await preparedForJobs.get(key)?.catch(() => undefined);
  // a command's code is fingerprinted afresh for every job: an edited script must not train the rest of a sweep
  if (!prepared || spec.command || configHash(prepared.config) !== job.configHash) {
    // Read the data again: it may have been fixed since this worker last read it (a retried job after a mismatch).
    const fresh = prepareAnalysis(spec, {});
    preparedForJobs.set(key, fresh);
    prepared = await fresh.catch((error) => {
      preparedForJobs.delete(key);
      throw error;
    });
  }
  const { backend, config } = prepared;
  if (configHash(config) !== job.configHash)
    throw new Error(
      `this worker's copy of ${spec.command ? `the code (${spec.command.code.join(', ')}) or the command` : `${spec.data}${spec.model && spec.model !== spec.data ? ` or ${spec.model}` : ''}`} or its settings differ from the coordinator's (configuration hash mismatch)`,
    );
  const started = Date.now();
  const outcomes = await prepared.trainBatch(job.batch, job.outDir ?? spec.out, worker);
  const seconds = (Date.now() - started) / 1000;
  // records, not outcomes: their compact per-epoch losses make the job's result a third of the outcomes' size
  return {
    records: batchRecords(job.batch, outcomes, backend, seconds),
    backend,
    seconds,
    worker: `${hostname()}:${process.pid}`,
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
  const config = header.config as SweepConfig | CommandConfig | ImportedConfig;
  const taskNames = taskNamesOf(config);
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
