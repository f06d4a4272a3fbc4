import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../data/dataset.js';
import { permutation, seededRandom } from '../data/random.js';
import { RANDOM_STREAM, type Part, type PreparedSplit } from '../data/split.js';
import { Adam } from './adam.js';
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


/**
 * Called on every batch at theta_t, BEFORE the optimizer's update (TAG probes there), with the batch and the optimizer
 * that is about to step (whose next update a lookahead may preview): how the proxies look inside one run.
 */
export type StepHook = (model: FusedNetworks, x: tf.Tensor2D, y: tf.Tensor2D, step: number, optimizer: Adam) => void;

/**
 * Called after every epoch with the number of network-epochs it completed: the networks trained in it, plus the
 * remaining epochs of those that stopped in it (so a run always adds up to networks x epochs).
 */
export type EpochHook = (epoch: number, epochs: number, networkEpochs: number) => void;

/**
 * Trains every group's network for one seed as one fused computation, with identical initialisation and mini-batch
 * order for all of them, and returns each network's losses at its best validation epoch (PROTOCOL.md step 5). With
 * `settings.patience`, a network stops once that many epochs bring no lower validation objective, and the fused model
 * shrinks to the networks still training.
 */
export function trainNetworks(
  data: PreparedSplit,
  kinds: TaskKind[],
  groups: number[][],
  settings: EngineSettings,
  seed: number,
  onEpoch?: EpochHook,
  onStep?: StepHook,
  options: { keepBestWeights?: boolean } = {},
): NetworkOutcome[] {
  const d = data.train.features.length / data.train.rows;
  const T = kinds.length;
  const slots = Math.max(...groups.map((g) => g.length));
  let model = new FusedNetworks(groups, kinds, settings, seededWeights(d, settings.hidden, slots, seed));
  /** active[j]: the index in `groups` of the model's network j. */
  let active = groups.map((_, k) => k);
  const toTensors = (part: Part) => ({
    x: tf.tensor2d(part.features, [part.rows, d]),
    y: tf.tensor2d(part.targets, [part.rows, T]),
  });
  const train = toTensors(data.train);
  const validation = toTensors(data.validation);
  const test = toTensors(data.test);
  const optimizer = new Adam(model.variables, settings.learningRate);
  const batchOrder = seededRandom(seed, RANDOM_STREAM.batches);
  const S = model.slots;
  const patience = settings.patience ?? 0;
  let step = 0;
  const best = groups.map((group) => ({ total: Infinity, epoch: 0, validation: group.map(() => NaN), test: group.map(() => NaN) }));
  const byEpoch: EpochLosses[][] = groups.map(() => []);
  const bestWeights: LayerWeights[][] = [];
  try {
    for (let epoch = 1; epoch <= settings.epochs && active.length > 0; epoch++) {
      const order = permutation(data.train.rows, batchOrder);
      for (let start = 0; start < order.length; start += settings.batchSize) {
        tf.tidy(() => {
          const rows = tf.tensor1d(order.subarray(start, start + settings.batchSize), 'int32');
          const x = tf.gather(train.x, rows);
          const y = tf.gather(train.y, rows);
          onStep?.(model, x, y, step++, optimizer);
          const gradients = model.gradients(x, y);
          optimizer.step(model.variables, model.variables.map((v) => gradients.get(v) as tf.Tensor));
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
      active.forEach((k, j) => {
        if (!(total[j] < best[k].total)) return;
        best[k] = {
          total: total[j],
          epoch,
          validation: groups[k].map((_, s) => v[j * S + s]),
          test: groups[k].map((_, s) => t[j * S + s]),
        };
        if (options.keepBestWeights) bestWeights[k] = model.networkWeights((variables ??= model.variables.map((variable) => variable.dataSync() as Float32Array)), j);
      });
      best.forEach((b, k) => byEpoch[k].push({ validation: b.validation, test: b.test }));
      const going = epoch < settings.epochs ? active.filter((k) => !(patience > 0 && epoch - best[k].epoch >= patience)) : [];
      onEpoch?.(epoch, settings.epochs, active.length + (active.length - going.length) * (settings.epochs - epoch));
      if (going.length < active.length && going.length > 0) {
        const keep = going.map((k) => active.indexOf(k));
        const smaller = model.keepNetworks(keep);
        optimizer.keep((moments) => model.gatherNetworks(moments, keep));
        model.dispose();
        model = smaller;
      }
      active = going;
    }
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.dispose([train.x, train.y, validation.x, validation.y, test.x, test.y]);
  }
  // a stopped network's later epochs would have reported its final selection (that is what stopping asserts)
  for (const epochs of byEpoch) while (epochs.length < settings.epochs) epochs.push(epochs[epochs.length - 1]);
  return groups.map((group, k) => ({ group, bestEpoch: best[k].epoch, validationLoss: best[k].validation, testLoss: best[k].test, byEpoch: byEpoch[k], ...(options.keepBestWeights ? { bestWeights: bestWeights[k] } : {}) }));
}
