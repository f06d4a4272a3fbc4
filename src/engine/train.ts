import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../data/dataset.js';
import { permutation, seededRandom } from '../data/random.js';
import { RANDOM_STREAM, type Part, type PreparedSplit } from '../data/split.js';
import { FusedNetworks, seededWeights, type LayerWeights } from './fused.js';
import type { EngineSettings } from './settings.js';

/** Per-task losses of one network at one selected epoch. */
export interface EpochLosses {
  validation: number[];
  test: number[];
}

/** One trained network: its per-task losses at the epoch with the lowest validation objective. */
export interface NetworkOutcome {
  group: number[];
  /** 1-based epoch that model selection chose. */
  bestEpoch: number;
  /** Per task of the group, in group order. */
  validationLoss: number[];
  testLoss: number[];
  /**
   * byEpoch[e - 1]: the losses that training for only e epochs would have reported (best validation epoch among
   * 1..e). Training is deterministic given the seed, so this is the early-stopping sweep for free.
   */
  byEpoch: EpochLosses[];
  /** The network's weights at the selected epoch, only when asked for (`keepBestWeights`), e.g. to reuse its trunk. */
  bestWeights?: LayerWeights[];
}


/** Called after every optimizer step with the model and that step's batch: how the proxies look inside one run. */
export type StepHook = (model: FusedNetworks, x: tf.Tensor2D, y: tf.Tensor2D, step: number) => void;

/**
 * Trains every group's network for one seed as one fused computation, with identical initialisation and mini-batch
 * order for all of them, and returns each network's losses at its best validation epoch (PROTOCOL.md step 5).
 */
export function trainNetworks(
  data: PreparedSplit,
  kinds: TaskKind[],
  groups: number[][],
  settings: EngineSettings,
  seed: number,
  onEpoch?: (epoch: number, epochs: number) => void,
  onStep?: StepHook,
  options: { keepBestWeights?: boolean } = {},
): NetworkOutcome[] {
  const d = data.train.features.length / data.train.rows;
  const T = kinds.length;
  const slots = Math.max(...groups.map((g) => g.length));
  const model = new FusedNetworks(groups, kinds, settings, seededWeights(d, settings.hidden, slots, seed));
  const toTensors = (part: Part) => ({
    x: tf.tensor2d(part.features, [part.rows, d]),
    y: tf.tensor2d(part.targets, [part.rows, T]),
  });
  const train = toTensors(data.train);
  const validation = toTensors(data.validation);
  const test = toTensors(data.test);
  const optimizer = tf.train.adam(settings.learningRate, 0.9, 0.999, 1e-8);
  const batchOrder = seededRandom(seed, RANDOM_STREAM.batches);
  const K = groups.length;
  const S = model.slots;
  let step = 0;
  const best = groups.map((group) => ({ total: Infinity, epoch: 0, validation: group.map(() => NaN), test: group.map(() => NaN) }));
  const byEpoch: EpochLosses[][] = groups.map(() => []);
  const bestWeights: LayerWeights[][] = [];
  try {
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const order = permutation(data.train.rows, batchOrder);
      for (let start = 0; start < order.length; start += settings.batchSize) {
        tf.tidy(() => {
          const rows = tf.tensor1d(order.subarray(start, start + settings.batchSize), 'int32');
          const x = tf.gather(train.x, rows);
          const y = tf.gather(train.y, rows);
          const gradients = model.gradients(x, y);
          optimizer.applyGradients([...gradients].map(([variable, tensor]) => ({ name: variable.name, tensor })));
          onStep?.(model, x, y, step++);
        });
      }
      const [validationSlots, testSlots, totals] = tf.tidy(() => {
        const v = model.slotLosses(validation.x, validation.y);
        return [v, model.slotLosses(test.x, test.y), model.networkTotals(v)];
      });
      const v = validationSlots.dataSync();
      const t = testSlots.dataSync();
      const total = totals.dataSync();
      tf.dispose([validationSlots, testSlots, totals]);
      let variables: Float32Array[] | undefined; // read once per epoch, and only if some network improved
      for (let k = 0; k < K; k++) {
        if (!(total[k] < best[k].total)) continue;
        best[k] = {
          total: total[k],
          epoch,
          validation: groups[k].map((_, s) => v[k * S + s]),
          test: groups[k].map((_, s) => t[k * S + s]),
        };
        if (options.keepBestWeights) bestWeights[k] = model.networkWeights((variables ??= model.variables.map((variable) => variable.dataSync() as Float32Array)), k);
      }
      best.forEach((b, k) => byEpoch[k].push({ validation: b.validation, test: b.test }));
      onEpoch?.(epoch, settings.epochs);
    }
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.dispose([train.x, train.y, validation.x, validation.y, test.x, test.y]);
  }
  return groups.map((group, k) => ({ group, bestEpoch: best[k].epoch, validationLoss: best[k].validation, testLoss: best[k].test, byEpoch: byEpoch[k], ...(options.keepBestWeights ? { bestWeights: bestWeights[k] } : {}) }));
}
