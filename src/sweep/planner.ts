import type { TaskKind } from '../data/dataset.js';
import { InputError } from '../data/errors.js';
import { permutation, seededRandom } from '../data/random.js';
import type { PreparedSplit } from '../data/split.js';
import type { BackendName } from '../engine/backend.js';
import { checkNetworkFits, slotsOf } from '../engine/memory.js';
import { parallelRuns, trainNetworksInParallel, type ChunkRequest } from '../engine/parallel.js';
import type { EngineSettings } from '../engine/settings.js';
import type { NetworkOutcome } from '../engine/train.js';
import type { Group, SweepGroups } from './plan.js';
import { batchRecords, SLICE_NETWORKS } from './run.js';
import { formatSeconds } from './progress.js';

/**
 * A sweep estimated past ten minutes is large: the planner lists the cheaper routes. A count of networks said nothing
 * once the native trainer made 4200 yeast networks a minute's work: below this, the sweep is the cheapest trustworthy route.
 */
export const LARGE_SWEEP_SECONDS = 600;

export const isLargeSweep = (plan: SweepPlan): boolean => plan.estimatedSeconds > LARGE_SWEEP_SECONDS;

/** A cheaper route to an affinity matrix (a proxy's command, or fewer epochs) and its cost; its error is measured, not declared (planText). */
export interface CheaperRoute {
  kind: 'proxy' | 'fewer epochs';
  route: string;
  cost: string;
  /** A proxy's registry id. */
  proxy?: string;
  /** Its error on this data is part of `cost`. */
  measuredHere?: boolean;
}

/** What the planner times: the sweep's own networks, trained the way the sweep will train them. */
export interface PlanRequest {
  /** The first replication's data (every replication has the same shapes). */
  data: PreparedSplit;
  kinds: TaskKind[];
  groups: SweepGroups;
  replications: number;
  settings: EngineSettings;
  backend: BackendName;
  workers: number;
  /** Builds a user's model instead of the built-in MLP (trainNetworksInParallel's `model`). */
  model?: ChunkRequest['model'];
  /** Networks left to train, when the journal already holds some (default: groups x replications). */
  toTrain?: number;
  /** Only the one-epoch probe, scaled to every epoch: an upper bound (early stopping and first-run costs left in). */
  probeOnly?: boolean;
}

/** How the estimate was measured: a sample of the sweep's networks trained on its backend. */
export interface Calibration {
  backend: BackendName;
  /** The user's model module, when the networks are its (trained network by network), not the built-in MLP. */
  model?: string;
  networks: number;
  /** Epochs the sample trained: all (early stopping included), or two (probes, when all would take too long). */
  epochs: number;
  seconds: number;
  /** Seconds the first training run took beyond an epoch of the next: paid once per process, by the plan (first calls, kernels compiled). */
  startSeconds: number;
  /**
   * Seconds each training call costs besides its epochs (a one-epoch run less an epoch): a user's model starts a thread
   * and loads tfjs and the module for each; the sweep makes one call per slice (a replication's networks).
   */
  callSeconds: number;
  /** Networks of the call that gave the cost per network-epoch, when it was not the sample: as many as a call of the sweep. */
  callNetworks?: number;
  /** Training runs the sweep spreads its networks over at once (worker threads; the native trainer uses every core itself). */
  parallel: number;
  /** Share of the sample's network-epochs that patience left untrained (0 without patience or without a full run). */
  stoppedShare: number;
  /**
   * Seconds per network the sweep spends on its journal record (per-epoch losses packed and read back, checked,
   * serialised), timed on the sample's records: on this thread, after training, so not divided over worker threads.
   * Half of an emotions run's time on a quiet machine, where training a network takes a millisecond.
   */
  recordSeconds: number;
  /** One probe epoch scaled to every epoch: an upper bound (first-run cost and early stopping left in). */
  probe?: boolean;
}

export interface SweepPlan {
  /** Networks to train (the journal's are not counted). */
  networks: number;
  groups: number;
  replications: number;
  calibration: Calibration;
  /** Estimated wall seconds of the sweep's training at the calibrated speed (a prediction, not a measurement). */
  estimatedSeconds: number;
}

/** Networks a calibration trains: enough that each thread gets several and a share stopping early shows. */
const SAMPLE_NETWORKS = { native: 16, fused: 32, userModel: 2 } as const;

/** The full-epochs sample runs when the probes say it takes at most this long, or this share of the sweep (up to a cap). */
const SAMPLE_SECONDS = 2;
const SAMPLE_SHARE = 0.05;
const SAMPLE_SHARE_CAP_SECONDS = 30;

/** Spread of the sample over the sweep's groups: a seeded draw, so that a plan is repeatable. */
function sampleGroups(groups: SweepGroups, count: number): Group[] {
  if (groups.length <= count) return [...groups];
  const order = permutation(groups.length, seededRandom(0, 11));
  return Array.from(order.subarray(0, count), (k) => groups.at(k));
}

/** Epochs the networks trained: each until its selected epoch plus patience (or all). */
function networkEpochs(outcomes: NetworkOutcome[], settings: EngineSettings): number {
  return outcomes.reduce(
    (sum, o) =>
      sum +
      (settings.patience ? Math.min(settings.epochs, Math.max(o.bestEpoch, 1) + settings.patience) : settings.epochs),
    0,
  );
}

/**
 * Times a sample of the sweep's own networks on the backend that will train them (native trainer, a tfjs backend's
 * fused model in this thread, or the user's model in a thread of its own, as the sweep trains each). A first one-epoch
 * run pays what the process pays once (timed as an epoch, it made a yeast estimate 4x too high); a run of two epochs
 * gives the cost per epoch and, from the ends of its epochs, what a training call costs besides them (callSecondsOf);
 * then, when that predicts at most SAMPLE_SECONDS (or SAMPLE_SHARE of the sweep), the sample trains every epoch with
 * the sweep's patience, so that early stopping is in the estimate; and when the sweep's calls are much larger than
 * the sample, two epochs of a call of their size give the cost per network-epoch. The estimate: that cost times the
 * network-epochs left to train, divided over the worker threads the sweep will use (their start is not measured for
 * the built-in networks: a wasm or cpu worker thread loads tfjs once per replication), plus each call's own cost per
 * slice and each network's journal record.
 */
export async function planSweep(request: PlanRequest): Promise<SweepPlan> {
  const { data, kinds, groups, settings, backend, workers, model } = request;
  // the calibration trains the sweep's networks: one that cannot fit in memory is refused first, as the sweep does
  const rows = data.train.rows + data.validation.rows + data.test.rows;
  checkNetworkFits({
    inputWidth: data.train.features.length / data.train.rows,
    hidden: settings.hidden,
    slots: slotsOf(groups),
    rows,
  });
  const networks = request.toTrain ?? groups.length * request.replications;
  const size = model
    ? SAMPLE_NETWORKS.userModel
    : backend === 'native'
      ? SAMPLE_NETWORKS.native
      : SAMPLE_NETWORKS.fused;
  const sample = sampleGroups(groups, size);
  const train = async (epochs: number, trained: Group[] = sample): Promise<SampleRun> => {
    const start = performance.now();
    const ends: number[] = [];
    const outcomes = await trainNetworksInParallel(
      {
        data,
        kinds,
        groups: trained,
        settings: { ...settings, epochs },
        seed: 0,
        backend,
        ...(model ? { model } : {}),
      },
      1,
      { onEpoch: () => ends.push(performance.now()) },
    );
    const end = performance.now();
    return { seconds: (end - start) / 1000, outcomes, callSeconds: callSecondsOf(start, ends, end) };
  };
  // the first run pays what a process pays once (first calls, memory, kernels compiled); the sweep, in this process after
  // the plan, does not pay it again
  const first = await train(1);
  recordSecondsOf(first.outcomes); // the first records pay the first calls, as the plan's first training run does
  const parallel = backend === 'native' ? 1 : parallelRuns(backend, workers, groups.length);
  if (request.probeOnly)
    return {
      networks,
      groups: groups.length,
      replications: request.replications,
      calibration: {
        backend,
        networks: sample.length,
        epochs: 1,
        seconds: first.seconds,
        startSeconds: 0,
        callSeconds: 0,
        parallel,
        stoppedShare: 0,
        recordSeconds: 0,
        probe: true,
      },
      estimatedSeconds: (first.seconds * settings.epochs * networks) / sample.length / parallel,
    };
  const probeEpochs = Math.min(2, settings.epochs);
  const warm = await train(probeEpochs);
  const perEpoch = epochSecondsOf(warm) / probeEpochs;
  let calibration: Calibration = {
    backend,
    ...(model ? { model: model.ref.source } : {}),
    networks: sample.length,
    epochs: probeEpochs,
    seconds: warm.seconds,
    startSeconds: Math.max(first.seconds - perEpoch - warm.callSeconds, 0),
    callSeconds: warm.callSeconds,
    parallel,
    stoppedShare: 0,
    recordSeconds: recordSecondsOf(warm.outcomes),
  };
  let perNetworkEpoch = perEpoch / sample.length;
  // the full run when it is short, or a small share of what the probes predict for the sweep (a user's model: its two
  // networks' first epochs pay the thread's first calls, so the probes overestimate it 2-3x)
  const probed = (perEpoch * settings.epochs * networks) / sample.length / parallel;
  if (
    settings.epochs > probeEpochs &&
    perEpoch * settings.epochs <= Math.min(SAMPLE_SHARE_CAP_SECONDS, Math.max(SAMPLE_SECONDS, SAMPLE_SHARE * probed))
  ) {
    const full = await train(settings.epochs);
    const trained = networkEpochs(full.outcomes, settings);
    calibration = {
      ...calibration,
      epochs: settings.epochs,
      seconds: full.seconds,
      callSeconds: full.callSeconds,
      stoppedShare: 1 - trained / (sample.length * settings.epochs),
      recordSeconds: recordSecondsOf(full.outcomes),
    };
    perNetworkEpoch = epochSecondsOf(full) / trained;
  }
  // A network-epoch costs more in a larger call (native, 174 tasks: 0.2 ms with 16 networks, 0.5 ms with 512, whose
  // weights outgrow the caches): when the sweep's calls are much larger than the sample, two epochs of a call of their
  // size give the cost per network-epoch (the sample still gives early stopping and the records).
  const callSize = Math.min(groups.length, SLICE_NETWORKS);
  if (!model && callSize >= 2 * sample.length) {
    const slice = await train(probeEpochs, sampleGroups(groups, callSize));
    perNetworkEpoch = epochSecondsOf(slice) / probeEpochs / callSize;
    calibration = { ...calibration, callNetworks: callSize, callSeconds: slice.callSeconds };
  }
  const trainedEpochs = networks * settings.epochs * (1 - calibration.stoppedShare);
  // the sweep makes one training call per slice: a replication's networks, at most SLICE_NETWORKS at a time
  const calls = Math.ceil(networks / callSize);
  return {
    networks,
    groups: groups.length,
    replications: request.replications,
    calibration,
    estimatedSeconds:
      (perNetworkEpoch * trainedEpochs) / calibration.parallel +
      calibration.callSeconds * calls +
      calibration.recordSeconds * networks,
  };
}

/** A calibration run: its wall seconds, its networks, and what it spent besides its epochs. */
interface SampleRun {
  seconds: number;
  outcomes: NetworkOutcome[];
  callSeconds: number;
}

/** A run's seconds in its epochs: the call's own cost taken out, but never more than three quarters of the run. */
const epochSecondsOf = (run: SampleRun): number => Math.max(run.seconds - run.callSeconds, run.seconds / 4);

/**
 * What a training call spent besides its epochs, from the ends of its epochs (ms): before the first epoch's end less an
 * epoch (the median time between two epoch ends), and after the last (results passed back, a thread ended). The
 * difference of two runs of different lengths was no measure: a user model's thread start (0.8-1.5 s at load 17)
 * varied more than an epoch of its two sample networks costs.
 */
function callSecondsOf(start: number, ends: number[], end: number): number {
  if (ends.length < 2) return 0;
  const gaps = ends
    .slice(1)
    .map((t, k) => t - ends[k])
    .sort((a, b) => a - b);
  const epoch = gaps[Math.floor(gaps.length / 2)];
  return Math.max(ends[0] - start - epoch + (end - ends[ends.length - 1]), 0) / 1000;
}

/** Seconds per network of building and serialising the journal records of `outcomes`, as the sweep does after each slice. */
function recordSecondsOf(outcomes: NetworkOutcome[]): number {
  const start = performance.now();
  const text = batchRecords({ seed: 0, fold: 0, key: 's0' }, outcomes, 'plan', 0)
    .map((record) => JSON.stringify(record))
    .join('\n');
  return text.length > 0 ? (performance.now() - start) / 1000 / outcomes.length : 0;
}

/**
 * The plan a run checks its limit on: calibrated in full when it is printed (`full`), else a one-epoch probe, an upper
 * bound that is enough unless it crosses the limit; then the full calibration decides (early stopping included).
 */
export async function planWithin(request: PlanRequest, maxHours: number, full: boolean): Promise<SweepPlan> {
  const probe = full ? undefined : await planSweep({ ...request, probeOnly: true });
  if (probe && (probe.estimatedSeconds <= maxHours * 3600 || request.settings.epochs === 1)) return probe;
  return planSweep({ ...request, probeOnly: false });
}

/** Seconds under a minute as seconds, to the millisecond under one (a short sweep's estimate would read 0:00 or 0.1 s), else h:mm:ss. */
export const duration = (seconds: number): string =>
  seconds < 1 ? `${seconds.toFixed(3)} s` : seconds < 60 ? `${seconds.toFixed(1)} s` : formatSeconds(seconds);

/** The plan in words; with the cheaper routes and where their error is measured when the sweep is large. */
export function planText(plan: SweepPlan, taskCount: number, routes: readonly CheaperRoute[]): string[] {
  const c = plan.calibration;
  const how =
    c.epochs > 2
      ? `${c.networks} of its networks trained all ${c.epochs} epochs in ${c.seconds.toFixed(2)} s${c.stoppedShare > 0 ? `, ${(100 * c.stoppedShare).toFixed(0)}% of their epochs skipped by early stopping` : ''}`
      : `${c.networks} of its networks trained ${c.epochs} epoch${c.epochs > 1 ? 's' : ''} in ${c.seconds.toFixed(2)} s, scaled to every epoch (early stopping not counted)`;
  const spread = c.parallel > 1 ? `, spread over ${c.parallel} worker threads` : '';
  const records =
    c.recordSeconds > 0 ? `; writing a network's journal record ${(1000 * c.recordSeconds).toFixed(2)} ms` : '';
  const call = c.callSeconds >= 0.01 ? `; each training call ${c.callSeconds.toFixed(2)} s besides its epochs` : '';
  const perCall = c.callNetworks
    ? `; the cost of a network-epoch from ${c.callNetworks} networks trained together, as a call of the sweep trains them`
    : '';
  const lines = [
    `plan: ${plan.networks} networks (${plan.groups} groups x ${plan.replications} replications); training estimated at ${duration(plan.estimatedSeconds)} on this machine ` +
      `(predicted from a calibration ${c.model ? `of the model ${c.model} (network by network)` : 'of the built-in networks'} on backend ${c.backend}: ${how}${spread}${perCall}${call}${records}; as noisy as the machine's load)`,
  ];
  if (isLargeSweep(plan)) {
    lines.push(`cheaper routes to the ${taskCount}-task matrix:`);
    for (const r of routes) lines.push(`  ${r.route}  [${r.cost}]`);
    if (!routes.some((r) => r.kind === 'fewer epochs'))
      lines.push(
        '  fewer epochs: tra group <folder> compares the matrix at a share of the epochs (--early-fractions) with the full one once a whole replication is trained',
      );
    if (routes.some((r) => r.kind === 'proxy' && !r.measuredHere))
      lines.push(
        'their error on this data: tra proxies <definition> --truth <folder> scores them against the networks a sweep has trained (one seed or one shard is enough); ' +
          'on other data sets (not this one): docs/BENCHMARKS.md "Proxies at scale" (npm run bench:estimators)',
      );
  }
  return lines;
}

/** The plan of a run against the time its training took: the planner's error on this machine, at this load. */
export interface PlanCheck {
  networks: number;
  /** The plan's estimate (a prediction). */
  predictedSeconds: number;
  /** The sweep's wall time training them (a measurement). */
  measuredSeconds: number;
  /**
   * 'calibrated': a sample trained with the sweep's patience or two probe epochs; 'probe': one epoch scaled, an upper
   * bound; 'measured networks': a command's networks left, from the durations of those measured before them (the
   * journal's, or this run's first round), against the time those networks left took.
   */
  from: 'calibrated' | 'probe' | 'measured networks';
}

export const planCheckOf = (plan: SweepPlan, measuredSeconds: number): PlanCheck => ({
  networks: plan.networks,
  predictedSeconds: Number(plan.estimatedSeconds.toPrecision(4)),
  measuredSeconds: Number(measuredSeconds.toPrecision(4)),
  from: plan.calibration.probe ? 'probe' : 'calibrated',
});

/** The check in words: `measured 0:28, predicted 0:31 (measured / predicted 0.90)`. */
export const planCheckText = (check: PlanCheck): string =>
  `measured ${duration(check.measuredSeconds)}, predicted ${duration(check.predictedSeconds)}${check.from === 'probe' ? ' (an upper bound from a one-epoch probe)' : check.from === 'measured networks' ? ' (from the durations of the networks measured before them)' : ''}: measured / predicted ${(check.measuredSeconds / check.predictedSeconds).toFixed(2)}`;

/** The smallest --max-hours (two significant digits, rounded up) that lets a run of `seconds` start. */
export function hoursAbove(seconds: number): number {
  const hours = seconds / 3600;
  const step = 10 ** (Math.floor(Math.log10(hours)) - 1);
  return Number((Math.ceil(hours / step) * step).toPrecision(2));
}

/**
 * Refuses training the plan estimates at more than `maxHours`, naming the flag and the least limit that would let it
 * run; the plan says how it was estimated and what is cheaper. Only networks left to train count (a plan's networks).
 */
export function checkTimeLimit(
  plan: SweepPlan,
  maxHours: number,
  what: string,
  taskCount: number,
  routes: readonly CheaperRoute[],
): void {
  if (plan.estimatedSeconds <= maxHours * 3600) return;
  throw new InputError(
    [
      `--max-hours ${maxHours}: ${what} would train ${plan.networks} networks, estimated at ${duration(plan.estimatedSeconds)}; raise --max-hours to at least ${hoursAbove(plan.estimatedSeconds)} to run it, or take a cheaper route`,
      ...planText(plan, taskCount, routes),
    ].join('\n'),
  );
}
