/**
 * The trainers: how an analysis's networks are trained, behind one interface (a sweep here or through a queue, a
 * queued batch on a worker, the plan's lines and limit). The definition picks its trainer: the built-in engine (the
 * fused MLP on the native trainer or tfjs, or the user's tfjs model) for `data` or `model`, the user's own training
 * command for `command` (docs/COMMAND.md). test/analysis/trainers.test.ts runs one contract over every entry.
 */
import { dirname, join } from 'node:path';
import { withNullControls } from '../data/controls.js';
import type { Dataset } from '../data/dataset.js';
import { dataWarnings, describeDataset, summaryLine, type DatasetSummary } from '../data/describe.js';
import { InputError } from '../data/errors.js';
import { prepareSplit, splitFor } from '../data/split.js';
import { selectBackend, type BackendName } from '../engine/backend.js';
import { runCommandJobs, runOptions, type CommandRunOptions } from '../engine/command/pool.js';
import { checkCodeUnchanged, commandRef, type CommandRef } from '../engine/command/ref.js';
import { defaultWorkers, trainNetworksInParallel } from '../engine/parallel.js';
import { configHash, sweepConfig, type CommandConfig, type SweepConfig } from '../sweep/config.js';
import { journalPathOf, type Records } from '../sweep/journal.js';
import { parseGroups, parseSeeds, replicationsOf, SweepGroups } from '../sweep/plan.js';
import { checkTimeLimit, planWithin, planSweep, planText, type SweepPlan } from '../sweep/planner.js';
import type { ProgressBar } from '../sweep/progress.js';
import type { QueueSweep } from '../sweep/queue.js';
import {
  chunkModel,
  inputShapeOf,
  openPlannedSweep,
  openSweep,
  runSweep,
  type OpenedSweep,
  type PendingBatch,
  type PlannedSweep,
  type SweepOutcome,
  type SweepRequest,
  type TrainedNetwork,
} from '../sweep/run.js';
import { analysisData } from './modelData.js';
import { journalEvidence, routesFor } from './routes.js';
import { probeUserModel, type Watchdog } from '../engine/userModel/watchdog.js';
import type { AnalysisSpec, CommandSpec } from './spec.js';
import { slotsOf } from '../engine/memory.js';

/** What preparing an analysis takes besides its definition. */
export interface PrepareOptions {
  /** Progress lines on stderr; a library call is silent unless it asks for them. */
  progress?: boolean;
  /** The definition's data set, when the caller has already read it (`loadSpecDataset`). */
  loaded?: Dataset;
}

/** What a queue worker brings to every job: its threads, and for a command its launch options. */
export interface WorkerOptions {
  workers: number;
  /** Overrides the definition's --parallel, --devices, --timeout and --retries on this machine. */
  run?: Partial<CommandRunOptions>;
}

/** Where a sweep's networks go and what it already has; `sweep` trains it here or through the queue. */
export type SweepPlanned = Omit<PlannedSweep, 'config'>;

/** How a sweep runs: its progress (and bar), and a queue to train through instead of here. */
export interface SweepOptions {
  progress?: boolean;
  queue?: string;
  bar?: ProgressBar;
}

/** An analysis ready to train: its tasks, configuration and trainer. */
export interface PreparedAnalysis {
  /** The data set tra trains on (none when a command trains on its own). */
  dataset?: Dataset;
  taskNames: string[];
  controlOf: number[];
  config: SweepConfig | CommandConfig;
  /** The engine backend, or 'command'. */
  backend: string;
  dataSummary?: DatasetSummary;
  groups: SweepGroups;
  journalPath: string;
  say: (line: string) => void;
  /** The user's model's watchdog (its measured step, or the user's limit); none for the built-in MLP or a command. */
  watchdog?: Watchdog;
  /** What the sweep will train (`toTrain` networks are not in the journal yet), refused past the limit. */
  plan: (left: LeftToTrain) => Promise<TrainingPlan>;
  sweep: (plan: SweepPlanned, options: SweepOptions) => Promise<SweepOutcome>;
  trainBatch: (batch: PendingBatch, outDir: string, worker: WorkerOptions) => Promise<TrainedNetwork[]>;
}

/** The plan of what is left to train: its lines for the terminal, and the engine planner's estimate, if it made one. */
export interface TrainingPlan {
  lines: string[];
  plan?: SweepPlan;
}

/** What a sweep has left to train, checked against the limit on its time before it starts. */
export interface LeftToTrain {
  /** Every group of the sweep. */
  groups: SweepGroups;
  /** Networks the journal does not hold yet. */
  toTrain: number;
  maxHours: number;
  progress?: boolean;
  /** The networks the journal holds already (their wall seconds calibrate a command; their losses, cheaper routes). */
  done?: Records;
}

/** A way of training a definition's networks. */
export interface Trainer {
  name: string;
  /** Whether this trainer trains the definition's networks. */
  trains: (spec: AnalysisSpec) => boolean;
  /** Checks the definition (data, model, command, code) and returns the analysis ready to train. */
  prepare: (spec: AnalysisSpec, options: PrepareOptions) => Promise<PreparedAnalysis>;
}

/** Every trainer; a definition has exactly one. */
export const TRAINERS: readonly Trainer[] = [
  {
    name: 'command',
    trains: (spec) => spec.command !== undefined,
    prepare: (spec, options) => prepareCommand(spec, spec.command as CommandSpec, options),
  },
  { name: 'engine', trains: (spec) => spec.command === undefined, prepare: prepareEngine },
];

/** The definition's trainer, prepared. */
export function prepareAnalysis(spec: AnalysisSpec, options: PrepareOptions): Promise<PreparedAnalysis> {
  const trainer = TRAINERS.find((t) => t.trains(spec));
  if (!trainer) throw new Error(`no trainer for ${spec.name}`);
  return trainer.prepare(spec, options);
}

/** The groups a definition's sweep trains: every task alone, every pair, and the definition's extra groups. */
export const sweepGroupsOf = (spec: Pick<AnalysisSpec, 'groups'>, taskNames: string[]): SweepGroups =>
  SweepGroups.pairwise(taskNames.length, spec.groups ? parseGroups(spec.groups, taskNames) : []);

/** The sweep's groups, found when first asked for (the definition's extra groups parsed then). */
function groupsWhenAsked(spec: Pick<AnalysisSpec, 'groups'>, taskNames: string[]): () => SweepGroups {
  let groups: SweepGroups | undefined;
  return () => {
    groups ??= sweepGroupsOf(spec, taskNames);
    return groups;
  };
}

const sayer =
  (progress?: boolean) =>
  (line: string): void => {
    if (progress) process.stderr.write(`${line}\n`);
  };

/** A sweep on the queue: the queue client (bullmq) loads only then. */
const onQueue = async (open: () => OpenedSweep, options: QueueSweep): Promise<SweepOutcome> =>
  (await import('../sweep/queue.js')).runSweepOnQueue(open, options);

/** The built-in engine's sweep plan; with `toTrain`, only that many of its networks are left to train. */
export function planOf(
  spec: AnalysisSpec,
  dataset: Dataset,
  backend: BackendName,
  config: SweepConfig,
  groups: SweepGroups,
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

/** The built-in engine: the definition's data (a CSV or the model's loadData), the fused MLP or the user's model. */
async function prepareEngine(spec: AnalysisSpec, options: PrepareOptions): Promise<PreparedAnalysis> {
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
  const say = sayer(options.progress);
  [summaryLine(spec.data, dataSummary), ...(loaded.notes ?? []), ...dataWarnings(dataSummary)].forEach(say);
  const groupsOf = groupsWhenAsked(spec, dataset.taskNames);
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
        slots: slotsOf(groupsOf()),
        batchSize: spec.engine.batchSize,
      },
      { seconds: spec.watchdog },
    ));
  // the probe thread chose and checked the model's backend; this thread never runs the model
  const backend = probe ? probe.backend : await selectBackend(spec.backend, { trainerOnly: true });
  const watchdog: Watchdog | undefined = probe && { stepMs: probe.stepMs, seconds: spec.watchdog };
  const config = sweepConfig(dataset, spec.engine, spec.split, model);
  const request = (plan: SweepPlanned, { progress, bar }: SweepOptions): SweepRequest => ({
    ...plan,
    dataset,
    config,
    backend,
    workers: spec.workers,
    quiet: !progress,
    bar,
    watchdog,
  });
  return {
    dataset,
    taskNames: dataset.taskNames,
    controlOf,
    config,
    backend,
    dataSummary,
    get groups() {
      return groupsOf();
    },
    journalPath: journalPathOf(spec.out),
    say,
    watchdog,
    plan: async ({ groups: all, toTrain, maxHours, progress, done }) => {
      if (toTrain === 0) return { lines: [] };
      const plan = await planOf(spec, dataset, backend, config, all, {
        toTrain,
        maxHours,
        printed: progress === true,
        watchdog,
      });
      const routes = await routesFor(plan, done && journalEvidence(spec, dataset, all, done));
      checkTimeLimit(plan, maxHours, 'this sweep', dataset.taskNames.length, routes);
      return { lines: progress ? planText(plan, dataset.taskNames.length, routes) : [], plan };
    },
    sweep: (plan, options) =>
      options.queue
        ? onQueue(() => openSweep(request(plan, options)), {
            url: options.queue,
            analysis: spec,
            configHash: configHash(config),
            quiet: !options.progress,
            timeLimit: plan.timeLimit,
          })
        : runSweep(request(plan, options)),
    trainBatch: (batch, _outDir, { workers }) =>
      trainNetworksInParallel(
        {
          data: prepareSplit(dataset, splitFor(config.split, dataset.rows, batch.seed, batch.fold)),
          kinds: dataset.taskKinds,
          groups: batch.groups,
          settings: config.engine,
          seed: batch.seed,
          backend,
          ...chunkModel(config, dataset, watchdog),
        },
        workers,
        { threadsOnly: true },
      ),
  };
}

/** A command definition's configuration: its command line, its code's content, tasks, epochs and split. */
export function commandConfigOf(spec: AnalysisSpec, command: CommandSpec): { ref: CommandRef; config: CommandConfig } {
  const ref = commandRef(command.argv, command.cwd, command.code, spec.name);
  return {
    ref,
    config: {
      command: { argv: ref.argv, code: ref.code },
      taskNames: command.taskNames,
      epochs: spec.engine.epochs,
      split: spec.split,
    },
  };
}

/** A command as the network (docs/COMMAND.md): no data here, one launch per network, results checked by the contract. */
async function prepareCommand(
  spec: AnalysisSpec,
  command: CommandSpec,
  options: PrepareOptions,
): Promise<PreparedAnalysis> {
  // a command's sweep and its plan from measured networks load only for a command's definition, not at every sweep's
  // start-up
  const [
    { checkCommandTimeLimit, commandPlan, commandPlanText },
    { COMMAND_BACKEND, commandJobs, commandSettings, runCommandSweep },
  ] = await Promise.all([import('../sweep/commandPlan.js'), import('../sweep/commandSweep.js')]);
  const { ref, config } = commandConfigOf(spec, command);
  const { taskNames } = command;
  const groupsOf = groupsWhenAsked(spec, taskNames);
  return {
    taskNames,
    controlOf: taskNames.map(() => -1),
    config,
    backend: COMMAND_BACKEND,
    get groups() {
      return groupsOf();
    },
    journalPath: journalPathOf(spec.out),
    say: sayer(options.progress),
    plan: async ({ groups: all, toTrain, maxHours, progress, done }) => {
      if (toTrain === 0) return { lines: [] };
      const { parallel, devices } = command.run;
      const measured = done ? [...done.values()].map((r) => r.seconds) : [];
      const plan = commandPlan(toTrain, Math.min(parallel, devices?.length ?? parallel), measured);
      checkCommandTimeLimit(plan, maxHours, 'before launching');
      const lines = [
        `command ${command.argv.join(' ')}: ${toTrain} networks of ${all.length} groups to train, ${parallel} at a time${devices ? ` on devices ${devices.join(',')}` : ''}; logs and results in ${join(spec.out, 'runs')}`,
        commandPlanText(plan),
      ];
      return { lines: progress ? lines : [] };
    },
    sweep: (plan, { progress, queue, bar }) => {
      const request = { ...plan, config, ref, run: command.run, quiet: !progress, bar };
      if (!queue) return runCommandSweep(request);
      return onQueue(
        () => {
          checkCodeUnchanged(ref, 'since the definition was read');
          return openPlannedSweep(request);
        },
        {
          url: queue,
          analysis: spec,
          configHash: configHash(config),
          quiet: !progress,
          outDir: dirname(plan.journalPath),
          timeLimit: plan.timeLimit,
        },
      );
    },
    trainBatch: async (batch, outDir, worker) => {
      const outcomes: TrainedNetwork[] = [];
      const run = runOptions({ ...command.run, ...worker.run });
      await runCommandJobs(commandJobs([batch]), commandSettings(config, ref, outDir, run.retries), {
        ...run,
        onDone: (_, outcome) => outcomes.push(outcome),
      });
      return outcomes;
    },
  };
}
