import { whileTraining } from './interrupt.js';
import type { Dataset } from '../data/dataset.js';
import type { DatasetSummary } from '../data/describe.js';
import { foldsOf, prepareSplit, splitFor } from '../data/split.js';
import { basename, dirname } from 'node:path';
import { checkNetworkFits, slotsOf } from '../engine/memory.js';
import { claimOutputFolder } from './outputFolder.js';
import { checkNetworkRecord, float32Loss, lossesByEpoch, perEpochOf } from './record.js';
import type { BackendName } from '../engine/backend.js';
import { trainNetworksInParallel, type ChunkRequest } from '../engine/parallel.js';
import type { Watchdog } from '../engine/userModel/watchdog.js';
import type { NetworkOutcome } from '../engine/train.js';
import { configHash, type CommandConfig, type SweepConfig } from './config.js';
import { Journal, type JournalRead, type NetworkRecord } from './journal.js';
import { groupKey, networkId, replicationsOf, type Group, type SweepGroups } from './plan.js';
import { clearLine, Progress, type ProgressBar } from './progress.js';
import { InputError } from '../data/errors.js';
import type { PlanCheck } from './planner.js';

export interface SweepRequest extends PlannedSweep {
  dataset: Dataset;
  config: SweepConfig;
  backend: BackendName;
  /** Worker threads per fused batch (1: train in this thread). */
  workers: number;
  dataSummary?: DatasetSummary;
  /**
   * The data one replication trains on, when its columns depend on that replication's training rows (auxiliary
   * candidates chosen on them); default `dataset` for every replication.
   */
  datasetOf?: (replication: { seed: number; fold: number }) => Dataset;
  quiet?: boolean;
  bar?: ProgressBar;
  /** The user's model's watchdog (its measured step, or the user's limit). */
  watchdog?: Watchdog;
}

/**
 * Networks trained between two journal appends: a replication's networks are trained in slices of at most this many,
 * so that a time limit stops a large replication (15,225 networks at 174 tasks) within minutes, not after it; a
 * network trained in a later slice equals the one a single batch would have produced (same initialisation and order).
 */
export const SLICE_NETWORKS = 512;

/** A sweep stopped at its time limit (`--max-hours`): every network trained so far is in the journal; a rerun resumes. */
export class TimeLimitReached extends Error {
  override name = 'TimeLimitReached';
  constructor(
    readonly maxHours: number,
    readonly trained: number,
    readonly left: number,
    readonly journalPath: string,
  ) {
    super(
      `stopped at --max-hours ${maxHours}: trained ${trained} networks in this run, ${left} left to train (every finished network is in ${journalPath}); rerun the same command to train the next ${maxHours} hour(s), or raise --max-hours`,
    );
  }
}

/** A network an allocation planned: its seed and its tasks. */
export interface PlannedNetworkRef {
  seed: number;
  group: Group;
}

export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/N` (1 <= i <= N). */
export function parseShard(spec: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  if (!shard || shard.index < 1 || shard.index > shard.count)
    throw new InputError(`--shard '${spec}': expected i/N with 1 <= i <= N, e.g. 2/4`);
  return shard;
}

export interface SweepOutcome {
  journal: Journal;
  trained: number;
  skipped: number;
  seconds: number;
  /** A command sweep's plan (from measured durations) against the time its networks took; the engine's is the planner's. */
  plan?: PlanCheck;
}

/** Networks of one replication trained together: a batch of a sweep, or one queue job (at most SLICE_NETWORKS). */
export interface PendingBatch {
  seed: number;
  fold: number;
  key: string;
  groups: Group[];
}

/** At most SLICE_NETWORKS of one replication's pending networks: what one batch of a sweep or one queue job trains. */
export interface PendingSlice extends PendingBatch {
  /** How messages name it: the replication's key, and its part when the replication has several. */
  label: string;
}

/** The networks of one replication that this run still has to train: their groups' indices in the sweep's groups. */
export interface PendingReplication {
  seed: number;
  fold: number;
  key: string;
  indices: Uint32Array;
}

/**
 * Every replication's pending networks in slices of at most SLICE_NETWORKS, in order (replications with none: none);
 * a slice's groups are made when it is asked for, so that the sweep's groups are never all held as arrays.
 */
export class PendingSlices implements Iterable<PendingSlice> {
  private readonly parts: { replication: PendingReplication; part: number; parts: number }[];
  /** Networks in every slice. */
  readonly networks: number;

  constructor(
    pending: readonly PendingReplication[],
    private readonly groups: SweepGroups,
  ) {
    this.parts = pending.flatMap((replication) => {
      const parts = Math.ceil(replication.indices.length / SLICE_NETWORKS);
      return Array.from({ length: parts }, (_, part) => ({ replication, part, parts }));
    });
    this.networks = pending.reduce((n, r) => n + r.indices.length, 0);
  }

  get length(): number {
    return this.parts.length;
  }

  /** Slice k (0 <= k < length). */
  at(k: number): PendingSlice {
    const { replication: r, part, parts } = this.parts[k];
    const indices = r.indices.subarray(part * SLICE_NETWORKS, (part + 1) * SLICE_NETWORKS);
    return {
      seed: r.seed,
      fold: r.fold,
      key: r.key,
      groups: Array.from(indices, (g) => this.groups.at(g)),
      label: parts === 1 ? r.key : `${r.key} part ${part + 1}/${parts}`,
    };
  }

  *[Symbol.iterator](): Iterator<PendingSlice> {
    for (let k = 0; k < this.length; k++) yield this.at(k);
  }
}

/** The opened sweep's pending networks in slices (PendingSlices). */
export const slicesOf = ({ pending, groups }: Pick<OpenedSweep, 'pending' | 'groups'>): PendingSlices =>
  new PendingSlices(pending, groups);

/** One example's shape: the loader's, or the CSV's feature vector. */
export const inputShapeOf = (dataset: Dataset): number[] => dataset.inputShape ?? [dataset.featureNames.length];

/** What a training chunk needs to build the configuration's user model (nothing for the built-in MLP). */
export const chunkModel = (config: SweepConfig, dataset: Dataset, watchdog?: Watchdog): Pick<ChunkRequest, 'model'> =>
  config.model ? { model: { ref: config.model, inputShape: inputShapeOf(dataset), watchdog } } : {};

/** What a sweep set out to train, and where its journal is. */
export interface PlannedSweep {
  config: SweepConfig | CommandConfig;
  groups: SweepGroups;
  seeds: number[];
  journalPath: string;
  dataSummary?: DatasetSummary;
  /** Train only this deterministic slice of the sweep (1-based index of count); merge the shards' journals later. */
  shard?: Shard;
  /**
   * Train only these networks, each on every fold of its seed (an allocation strategy's next round, src/allocation);
   * `groups` and `seeds` still name what the sweep may hold. Default: every group on every seed.
   */
  networks?: readonly PlannedNetworkRef[];
  /** Called once the journal is open (its configuration accepted), before any training: e.g. to write files beside it. */
  onOpened?: () => void;
  /**
   * The journal at `journalPath` as an earlier round of this run left it (an adaptive run's next seed): used as it is
   * instead of read again, and `onOpened` is not called again.
   */
  journal?: Journal;
  /**
   * The journal at `journalPath` as this run read it before opening it (to check its configuration and count what is
   * left): opened from that read, not read again, while the file is unchanged.
   */
  read?: JournalRead;
  /**
   * Stop between two journal appends once `maxHours` have passed since `since` (ms, Date.now()), having trained at
   * least one slice (a command: one network) in this run: what is trained stays in the journal and a rerun resumes
   * (`TimeLimitReached`).
   */
  timeLimit?: TimeLimit;
}

/** A run's limit on its time: `maxHours` from `since` (ms, Date.now()). */
export interface TimeLimit {
  maxHours: number;
  since: number;
}

/** Whether the run's time is up (the one test every trainer and the queue apply between their appends). */
export const pastTimeLimit = (limit: TimeLimit): boolean => Date.now() - limit.since >= limit.maxHours * 3_600_000;

export interface OpenedSweep {
  journal: Journal;
  /** The sweep's groups, which `pending` indexes. */
  groups: SweepGroups;
  pending: PendingReplication[];
  inShardCount: number;
}

/** Opens the journal and lists, per replication, the networks it does not hold yet (within the shard, if any). */
export function openPlannedSweep(request: PlannedSweep): OpenedSweep {
  const { config, groups, seeds } = request;
  claimOutputFolder(dirname(request.journalPath));
  const journal =
    request.journal ??
    Journal.open(
      request.journalPath,
      {
        kind: 'header',
        version: 1,
        configHash: configHash(config),
        config,
        dataSummary: request.dataSummary,
        plan: { seeds, groups },
      },
      request.read,
    );
  // Jobs are numbered replication by replication, group by group; a shard takes every count-th job.
  const inShard = (job: number): boolean => !request.shard || job % request.shard.count === request.shard.index - 1;
  const replications = replicationsOf(config.split, seeds);
  const wanted = request.networks && new Set(request.networks.map((n) => `${n.seed}/${groupKey(n.group)}`));
  const isWanted = (seed: number, g: Group): boolean => !wanted || wanted.has(`${seed}/${groupKey(g)}`);
  const pending = replications.map((r, ri) => {
    const indices: number[] = [];
    let gi = 0;
    for (const g of groups) {
      if (isWanted(r.seed, g) && inShard(ri * groups.length + gi) && !journal.has(networkId(r.key, g)))
        indices.push(gi);
      gi++;
    }
    return { seed: r.seed, fold: r.fold, key: r.key, indices: Uint32Array.from(indices) };
  });
  if (!request.journal) request.onOpened?.();
  const planned = wanted
    ? replications.reduce((n, r) => n + groups.count((g) => isWanted(r.seed, g)), 0)
    : replications.length * groups.length;
  const inShardCount = request.shard
    ? Array.from({ length: planned }, (_, job) => job).filter(inShard).length
    : planned;
  return { journal, groups, pending, inShardCount };
}

/** The built-in networks' sweep: its data and settings checked before the journal exists, then the journal opened. */
export function openSweep(request: SweepRequest): OpenedSweep {
  const { config, groups, seeds } = request;
  // Everything that can be checked is checked before the journal exists: a failed check must not leave a journal behind.
  for (const fold of foldsOf(config.split)) splitFor(config.split, request.dataset.rows, seeds[0], fold);
  checkNetworkFits({
    inputWidth: request.dataset.featureNames.length,
    hidden: config.engine.hidden,
    slots: slotsOf(groups),
    rows: request.dataset.rows,
  });
  return openPlannedSweep(request);
}

/** A trained network as a trainer returns it: the built-in engine's outcome, or a command's checked result. */
export type TrainedNetwork = Pick<NetworkOutcome, 'group' | 'bestEpoch' | 'validationLoss' | 'testLoss'> & {
  byEpoch?: NetworkOutcome['byEpoch'];
  examples?: number[][];
  cost?: number;
  /** The network's own wall seconds (a command's); absent: its share of the batch's. */
  seconds?: number;
};

/**
 * A network's per-epoch losses for its record: compactly (perEpoch) when that reads back as the same losses at every
 * epoch, as the built-in trainers' always do; in full (byEpoch) when it would not, as for a command that selected its
 * reported epoch otherwise than by the lowest total validation loss.
 */
function epochsOf(o: TrainedNetwork): Pick<NetworkRecord, 'perEpoch' | 'byEpoch'> {
  if (!o.byEpoch) return {};
  // the trainers repeat one selection's arrays at every epoch until the next: each is spelled once (a yeast sweep's
  // 2625 networks made 294,000 float32Loss calls for 56,000 distinct losses)
  const spelled = new Map<number[], number[]>();
  const spell = (losses: number[]): number[] => {
    let out = spelled.get(losses);
    if (!out) {
      out = losses.map(float32Loss);
      spelled.set(losses, out);
    }
    return out;
  };
  const byEpoch = o.byEpoch.map((e) => ({ validation: spell(e.validation), test: spell(e.test) }));
  const perEpoch = perEpochOf(byEpoch);
  const compact = {
    group: o.group,
    bestEpoch: o.bestEpoch,
    validationLoss: o.validationLoss.map(float32Loss),
    testLoss: o.testLoss.map(float32Loss),
    perEpoch,
  } as NetworkRecord;
  const same = (a: number[] | undefined, b: number[]): boolean => !!a && a.every((value, k) => value === b[k]);
  const readBack = lossesByEpoch(compact) ?? [];
  const readsBack = byEpoch.every((e, k) => {
    const read = readBack[k];
    // an epoch before the first selection has none (NaN losses) in either form
    if (e.validation.some(Number.isNaN)) return read === undefined;
    return same(read?.validation, e.validation) && same(read?.test, e.test);
  });
  return readsBack ? { perEpoch } : { byEpoch };
}

/**
 * Journal records of one trained batch; `seconds` is the batch's wall time, shared out over networks without their own.
 * The losses are float32 (every trainer computes in float32; a command's are rounded to it), written as the shortest
 * decimals that read back as the same float32.
 */
export function batchRecords(
  batch: Pick<PendingBatch, 'seed' | 'fold' | 'key'>,
  outcomes: TrainedNetwork[],
  backend: string,
  seconds: number,
): NetworkRecord[] {
  const finishedAt = new Date().toISOString();
  const float32 = (values: number[]): number[] => values.map(float32Loss);
  const records = outcomes.map(
    (o): NetworkRecord => ({
      kind: 'network',
      id: networkId(batch.key, o.group),
      replication: batch.key,
      seed: batch.seed,
      fold: batch.fold,
      group: o.group,
      testLoss: float32(o.testLoss),
      validationLoss: float32(o.validationLoss),
      bestEpoch: o.bestEpoch,
      ...epochsOf(o),
      ...(o.examples ? { examples: o.examples.map(float32) } : {}),
      ...(o.cost === undefined ? {} : { cost: o.cost }),
      backend,
      // a measured time: four digits are its precision
      seconds: Number((o.seconds ?? seconds / outcomes.length).toPrecision(4)),
      finishedAt,
    }),
  );
  // The journal holds only records that read back: a diverged network (NaN or infinite losses) stops the sweep here.
  for (const record of records) {
    const checked = checkNetworkRecord(record);
    if (!checked.ok)
      throw new InputError(
        `network ${record.id} trained to unusable losses (${checked.problem}): training diverged; lower the learning rate or rescale the data`,
      );
  }
  return records;
}

/**
 * Trains every (replication, group) network the journal does not hold yet. All missing networks of one replication
 * are trained as one fused batch; since every network of a replication gets the same initialisation and batch order,
 * a network trained in a later, smaller batch equals the one an uninterrupted sweep would have produced.
 */
export const runSweep = (request: SweepRequest): Promise<SweepOutcome> => whileTraining(() => trainMissing(request));

async function trainMissing(request: SweepRequest): Promise<SweepOutcome> {
  const { dataset, config } = request;
  const opened = openSweep(request);
  const { journal, inShardCount } = opened;
  const slices = slicesOf(opened);
  const trainedCount = slices.networks;
  const epochs = config.engine.epochs;
  const progress = new Progress(
    trainedCount * epochs,
    request.bar?.label ?? 'sweep',
    process.stderr,
    request.quiet,
    request.bar?.transient,
  );
  const started = Date.now();
  const how = config.model ? `, network by network (${basename(config.model.source)})` : '';
  const limit = request.timeLimit;
  let trainedNow = 0;
  for (const batch of slices) {
    if (limit && trainedNow > 0 && pastTimeLimit(limit)) {
      if (!request.quiet) clearLine();
      throw new TimeLimitReached(limit.maxHours, trainedNow, trainedCount - trainedNow, request.journalPath);
    }
    const batchStart = Date.now();
    const replicationData = request.datasetOf?.(batch) ?? dataset;
    const data = prepareSplit(replicationData, splitFor(config.split, dataset.rows, batch.seed, batch.fold));
    const outcomes = await trainNetworksInParallel(
      {
        data,
        kinds: replicationData.taskKinds,
        groups: batch.groups,
        settings: config.engine,
        seed: batch.seed,
        backend: request.backend,
        ...chunkModel(config, replicationData, request.watchdog),
      },
      request.workers,
      {
        onEpoch: (networkEpochs, epoch) =>
          progress.advance(
            networkEpochs,
            `${batch.key}: epoch ${epoch}/${epochs}, ${batch.groups.length} networks${how}`,
          ),
      },
    );
    journal.append(batchRecords(batch, outcomes, request.backend, (Date.now() - batchStart) / 1000));
    trainedNow += batch.groups.length;
    // An in-process batch trains synchronously: without this turn of the event loop a Ctrl-C (sweep/interrupt.ts) would
    // wait for the whole sweep instead of the batch in training.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    journal,
    trained: trainedCount,
    skipped: inShardCount - trainedCount,
    seconds: (Date.now() - started) / 1000,
  };
}
