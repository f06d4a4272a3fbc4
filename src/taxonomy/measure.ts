import type { Dataset } from '../data/dataset.js';
import { prepareSplit, splitFor, type PreparedSplit, type SplitScheme } from '../data/split.js';
import type { LayerWeights } from '../engine/start.js';
import type { EngineSettings } from '../engine/settings.js';
import { trainNetworks } from '../engine/train.js';
import { Progress } from '../sweep/progress.js';
import { replicationsOf } from '../sweep/plan.js';
import { exampleLosses, sideBySide, throughTrunk } from './network.js';
import { beamSourceSets, firstOrderMatrices, type FirstOrderMatrices, type MeasuredTransfer } from './transfers.js';

export interface MeasureOptions {
  /** The task-specific networks (encoders): the sweep's single-task networks. */
  engine: EngineSettings;
  split: SplitScheme;
  seeds: number[];
  /** Hidden layers of a readout on frozen trunks (the engine needs at least one). */
  readoutHidden: number[];
  /** Transfer orders to measure; 1 is always measured (the beam starts from it). */
  orders: number[];
  /** Higher-order source sets are combinations of a target's `beam` best first-order sources. */
  beam: number;
  quiet?: boolean;
}

export interface TransferMeasurements {
  transfers: MeasuredTransfer[];
  firstOrder: FirstOrderMatrices;
  /** Per target, the higher-order source sets the beam search chose. */
  beamSets: number[][][];
  replications: string[];
  seconds: number;
}

/** One replication's encoders: each task's network at its best epoch and its split seen through the frozen trunk. */
interface Encoders {
  data: PreparedSplit;
  seed: number;
  trunks: PreparedSplit[];
}

/**
 * Taskonomy's transfer measurements over the replications of the analysis: per replication, one network per task
 * (trained as one fused batch, as the sweep trains its single-task networks), then for every source its trunk frozen
 * and a readout per target trained on its output (one fused batch per source), then readouts on the concatenated
 * trunks of the source sets that the beam search picks from the first-order results of all replications.
 */
export function measureTransfers(dataset: Dataset, options: MeasureOptions): TransferMeasurements {
  const started = performance.now();
  const T = dataset.taskNames.length;
  const kinds = dataset.taskKinds;
  const tasks = Array.from({ length: T }, (_, t) => t);
  const readoutSettings: EngineSettings = { ...options.engine, hidden: options.readoutHidden };
  const replications = replicationsOf(options.split, options.seeds);
  const transfers = new Map<string, MeasuredTransfer>();
  const record = (target: number, sources: number[], testLoss: number, losses: Float64Array): void => {
    const key = `${target}<${sources.join('+')}`;
    const transfer = transfers.get(key) ?? {
      target,
      sources,
      own: sources.length === 1 && sources[0] === target,
      testLoss: [],
      exampleLoss: [],
    };
    transfer.testLoss.push(testLoss);
    transfer.exampleLoss.push(losses);
    transfers.set(key, transfer);
  };
  /** Readouts for `targets` on the frozen trunks of `sources`, one fused batch. */
  const readouts = (encoders: Encoders, sources: number[], targets: number[]): void => {
    const features = sideBySide(sources.map((s) => encoders.trunks[s]));
    const outcomes = trainNetworks(
      features,
      kinds,
      targets.map((t) => [t]),
      readoutSettings,
      encoders.seed,
      undefined,
      undefined,
      { keepBestWeights: true },
    );
    outcomes.forEach(({ group: [target], testLoss, bestWeights }) =>
      record(
        target,
        sources,
        testLoss[0],
        exampleLosses(bestWeights as LayerWeights[], features.test, target, kinds[target]),
      ),
    );
  };

  const firstProgress = new Progress(
    replications.length * (T + 1),
    'encoders and first-order readouts',
    process.stderr,
    options.quiet,
  );
  const encoders = replications.map(({ seed, fold, key }): Encoders => {
    const data = prepareSplit(dataset, splitFor(options.split, dataset.rows, seed, fold));
    const networks = trainNetworks(
      data,
      kinds,
      tasks.map((t) => [t]),
      options.engine,
      seed,
      undefined,
      undefined,
      { keepBestWeights: true },
    );
    const weights = networks.map((n) => n.bestWeights as LayerWeights[]);
    networks.forEach(({ testLoss }, t) =>
      record(t, [t], testLoss[0], exampleLosses(weights[t], data.test, t, kinds[t])),
    );
    firstProgress.advance(1, `${key}: encoders`);
    const replication = { data, seed, trunks: weights.map((w) => throughTrunk(w, data)) };
    for (const source of tasks) {
      readouts(
        replication,
        [source],
        tasks.filter((t) => t !== source),
      );
      firstProgress.advance(1, `${key}: readouts on ${dataset.taskNames[source]}`);
    }
    return replication;
  });

  const firstOrder = firstOrderMatrices(T, [...transfers.values()]);
  const beamSets = tasks.map((t) => beamSourceSets(firstOrder.affinity[t], t, options.beam, options.orders));
  // A source set chosen for several targets is one input: their readouts train as one batch.
  const targetsOfSet = new Map<string, { sources: number[]; targets: number[] }>();
  beamSets.forEach((sets, target) =>
    sets.forEach((sources) => {
      const key = sources.join('+');
      targetsOfSet.set(key, { sources, targets: [...(targetsOfSet.get(key)?.targets ?? []), target] });
    }),
  );
  if (targetsOfSet.size > 0) {
    const higherProgress = new Progress(
      replications.length * targetsOfSet.size,
      'higher-order readouts',
      process.stderr,
      options.quiet,
    );
    replications.forEach(({ key }, r) => {
      for (const { sources, targets } of targetsOfSet.values()) {
        readouts(encoders[r], sources, targets);
        higherProgress.advance(1, `${key}: readouts on ${sources.map((s) => dataset.taskNames[s]).join('+')}`);
      }
    });
  }
  return {
    transfers: [...transfers.values()],
    firstOrder,
    beamSets,
    replications: replications.map((r) => r.key),
    seconds: (performance.now() - started) / 1000,
  };
}
