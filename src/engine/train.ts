import type * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../data/dataset.js';
import { permutation, seededRandom } from '../data/random.js';
import { RANDOM_STREAM, type PreparedSplit } from '../data/split.js';
import type { Adam } from './adam.js';
import type { FusedNetworks } from './fused.js';
import { NativeFusedNetworks } from './native.js';
import { loadedTfjs, usesNativeTrainer } from './backend.js';
import type { EngineSettings } from './settings.js';
import { seededWeights, type LayerWeights } from './start.js';
import { slotsOf } from './memory.js';

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
 * One seed's fused networks as the training loop drives them; position j is the j-th network still training. Two
 * implementations compute the same function: tfjs (FusedNetworks and the engine's Adam, any tfjs backend) and the
 * native trainer (native/trainer.cc, backend `native`).
 */
export interface EpochTrainer {
  /** One epoch of mini-batch steps over the training rows in `order`. */
  trainEpoch(order: Int32Array): void;
  /** Validation loss per network and slot [positions x S], and each network's weighted total. */
  validate(): { slots: Float32Array; totals: Float32Array };
  /** Test loss per slot [positions.length x S] of the networks at `positions`. */
  test(positions: number[]): Float32Array;
  /** The current weights of the network at `position`. */
  weights(position: number): LayerWeights[];
  /** Goes on training only the networks at `positions`. */
  keep(positions: number[]): void;
  dispose(): void;
}

/** What an EpochTrainer is built from: one seed's data, tasks, groups, settings and common start. */
export interface TrainerSetup {
  data: PreparedSplit;
  kinds: TaskKind[];
  groups: number[][];
  settings: EngineSettings;
  start: LayerWeights[];
}

/**
 * Counts of test-loss evaluations (network-epochs) since the process started: `needed` where validation improved, the
 * only epochs whose test losses can be reported, and `trained`, every network-epoch; what evaluating test losses only
 * where validation improves saves (the bench reports it).
 */
export const testEvaluations = { needed: 0, trained: 0 };

/**
 * Trains every group's network for one seed as one fused computation, with identical initialisation and mini-batch
 * order for all of them, and returns each network's losses at its best validation epoch (PROTOCOL.md step 5). With
 * `settings.patience`, a network stops once that many epochs bring no lower validation objective, and the fused model
 * shrinks to the networks still training. Test losses are computed only at epochs where some network's validation
 * objective improved, and (native trainer) only for those networks: no other epoch's test loss can be reported.
 * Runs on the native trainer when the `native` backend is selected, except with `onStep`, which needs the tfjs model.
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
  const slots = slotsOf(groups);
  const start = seededWeights(d, settings.hidden, slots, seed);
  const setup = { data, kinds, groups, settings, start };
  const trainer: EpochTrainer =
    usesNativeTrainer() && !onStep ? new NativeFusedNetworks(setup) : new (loadedTfjs().TfjsTrainer)(setup, onStep);
  return selectEpochs(trainer, groups, data.train.rows, settings, seed, onEpoch, options);
}

/**
 * The training loop every trainer shares: one seeded batch order per epoch, each network's losses at its lowest
 * validation objective, test losses only where validation improved, and patience. Disposes the trainer.
 */
export function selectEpochs(
  trainer: EpochTrainer,
  groups: number[][],
  trainingRows: number,
  settings: EngineSettings,
  seed: number,
  onEpoch?: EpochHook,
  options: { keepBestWeights?: boolean } = {},
): NetworkOutcome[] {
  const S = slotsOf(groups);
  /** active[j]: the index in `groups` of the trainer's network j. */
  let active = groups.map((_, k) => k);
  const batchOrder = seededRandom(seed, RANDOM_STREAM.batches);
  const patience = settings.patience ?? 0;
  const best = groups.map((group) => ({
    total: Infinity,
    epoch: 0,
    validation: group.map(() => NaN),
    test: group.map(() => NaN),
  }));
  const byEpoch: EpochLosses[][] = groups.map(() => []);
  const bestWeights: LayerWeights[][] = [];
  try {
    for (let epoch = 1; epoch <= settings.epochs && active.length > 0; epoch++) {
      trainer.trainEpoch(permutation(trainingRows, batchOrder));
      const { slots: v, totals: total } = trainer.validate();
      const improved = active.flatMap((k, j) => (total[j] < best[k].total ? [j] : []));
      const t = improved.length > 0 ? trainer.test(improved) : new Float32Array(0);
      testEvaluations.needed += improved.length;
      testEvaluations.trained += active.length;
      improved.forEach((j, i) => {
        const k = active[j];
        best[k] = {
          total: total[j],
          epoch,
          validation: groups[k].map((_, s) => v[j * S + s]),
          test: groups[k].map((_, s) => t[i * S + s]),
        };
        if (options.keepBestWeights) bestWeights[k] = trainer.weights(j);
      });
      // a stopped network's entries are filled in once, after the loop
      for (const k of active) byEpoch[k].push({ validation: best[k].validation, test: best[k].test });
      const going =
        epoch < settings.epochs ? active.filter((k) => !(patience > 0 && epoch - best[k].epoch >= patience)) : [];
      onEpoch?.(epoch, settings.epochs, active.length + (active.length - going.length) * (settings.epochs - epoch));
      if (going.length < active.length && going.length > 0) trainer.keep(going.map((k) => active.indexOf(k)));
      active = going;
    }
  } finally {
    trainer.dispose();
  }
  // a stopped network's later epochs would have reported its final selection (that is what stopping asserts)
  for (const epochs of byEpoch) while (epochs.length < settings.epochs) epochs.push(epochs[epochs.length - 1]);
  return groups.map((group, k) => ({
    group,
    bestEpoch: best[k].epoch,
    validationLoss: best[k].validation,
    testLoss: best[k].test,
    byEpoch: byEpoch[k],
    ...(options.keepBestWeights ? { bestWeights: bestWeights[k] } : {}),
  }));
}
