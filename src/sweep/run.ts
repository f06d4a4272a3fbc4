import type { Dataset } from '../data/dataset.js';
import type { DatasetSummary } from '../data/describe.js';
import { foldsOf, prepareSplit, splitFor } from '../data/split.js';
import { basename, dirname } from 'node:path';
import { checkNetworkFits } from '../engine/memory.js';
import { claimOutputFolder } from './outputFolder.js';
import { checkNetworkRecord, float32Loss, perEpochOf } from './record.js';
import type { BackendName } from '../engine/backend.js';
import { trainNetworksInParallel, type ChunkRequest } from '../engine/parallel.js';
import type { NetworkOutcome } from '../engine/train.js';
import { configHash, type SweepConfig } from './config.js';
import { Journal, type NetworkRecord } from './journal.js';
import { networkId, replicationsOf, type Group } from './plan.js';
import { Progress } from './progress.js';
import { InputError } from '../data/errors.js';

export interface SweepRequest {
  dataset: Dataset;
  config: SweepConfig;
  groups: Group[];
  seeds: number[];
  journalPath: string;
  backend: BackendName;
  /** Worker threads per fused batch (1: train in this thread). */
  workers: number;
  dataSummary?: DatasetSummary;
  /**
   * The data one replication trains on, when its columns depend on that replication's training rows (auxiliary
   * candidates chosen on them); default `dataset` for every replication.
   */
  datasetOf?: (replication: { seed: number; fold: number }) => Dataset;
  /** Train only this deterministic slice of the sweep (1-based index of count); merge the shards' journals later. */
  shard?: Shard;
  quiet?: boolean;
  /** The progress bar's label (default 'sweep'); transient: the caller prints the phase's summary line instead of the bar's last state. */
  bar?: { label?: string; transient?: boolean };
  /** Called once the journal is open (its configuration accepted), before any training: e.g. to write files beside it. */
  onOpened?: () => void;
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
}

/** The networks of one replication that this run still has to train. */
export interface PendingBatch {
  seed: number;
  fold: number;
  key: string;
  groups: Group[];
}

/** One example's shape: the loader's, or the CSV's feature vector. */
export const inputShapeOf = (dataset: Dataset): number[] => dataset.inputShape ?? [dataset.featureNames.length];

/** What a training chunk needs to build the configuration's user model (nothing for the built-in MLP). */
export const chunkModel = (config: SweepConfig, dataset: Dataset): Pick<ChunkRequest, 'model'> =>
  config.model ? { model: { ref: config.model, inputShape: inputShapeOf(dataset) } } : {};

/** Opens the journal and lists, per replication, the networks it does not hold yet (within the shard, if any). */
export function openSweep(request: SweepRequest): { journal: Journal; pending: PendingBatch[]; inShardCount: number } {
  const { config, groups, seeds } = request;
  // Everything that can be checked is checked before the journal exists: a failed check must not leave a journal behind.
  for (const fold of foldsOf(config.split)) splitFor(config.split, request.dataset.rows, seeds[0], fold);
  checkNetworkFits({
    inputWidth: request.dataset.featureNames.length,
    hidden: config.engine.hidden,
    slots: Math.max(...groups.map((g) => g.length)),
    rows: request.dataset.rows,
  });
  claimOutputFolder(dirname(request.journalPath));
  const journal = Journal.open(request.journalPath, {
    kind: 'header',
    version: 1,
    configHash: configHash(config),
    config,
    dataSummary: request.dataSummary,
    plan: { seeds, groups },
  });
  // Jobs are numbered replication by replication, group by group; a shard takes every count-th job.
  const inShard = (job: number): boolean => !request.shard || job % request.shard.count === request.shard.index - 1;
  const replications = replicationsOf(config.split, seeds);
  const pending = replications.map((r, ri) => ({
    seed: r.seed,
    fold: r.fold,
    key: r.key,
    groups: groups.filter((g, gi) => inShard(ri * groups.length + gi) && !journal.has(networkId(r.key, g))),
  }));
  request.onOpened?.();
  const planned = replications.length * groups.length;
  const inShardCount = request.shard
    ? Array.from({ length: planned }, (_, job) => job).filter(inShard).length
    : planned;
  return { journal, pending, inShardCount };
}

/**
 * Journal records of one trained batch; `seconds` is the batch's wall time, shared out over its networks. The losses are
 * float32 (every trainer computes in float32), written as the shortest decimals that read back as the same float32.
 */
export function batchRecords(
  batch: PendingBatch,
  outcomes: NetworkOutcome[],
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
      perEpoch: perEpochOf(o.byEpoch),
      backend,
      seconds: Number((seconds / outcomes.length).toPrecision(4)), // a measured time: four digits are its precision
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
export async function runSweep(request: SweepRequest): Promise<SweepOutcome> {
  const { dataset, config } = request;
  const { journal, pending, inShardCount } = openSweep(request);
  const trainedCount = pending.reduce((n, s) => n + s.groups.length, 0);
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
  for (const batch of pending) {
    if (batch.groups.length === 0) continue;
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
        ...chunkModel(config, replicationData),
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
    // An in-process batch trains synchronously: without this turn of the event loop a Ctrl-C (SIGINT handler) would
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
