import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../../data/dataset.js';
import { seededRandom, type Random } from '../../data/random.js';
import { RANDOM_STREAM, type Part, type PreparedSplit } from '../../data/split.js';
import { Adam } from '../adam.js';
import { slotLayout, type LayerWeights } from '../start.js';
import type { EngineSettings } from '../settings.js';
import { selectEpochs, type EpochHook, type EpochTrainer, type NetworkOutcome } from '../train.js';
import type { UserModelModule } from './contract.js';
import { buildNetwork, HEADS_LAYER, type ModelRef } from './load.js';
import { slotsOf } from '../memory.js';

/** What one user-model network is trained from; its data's features are flat rows of `inputShape`. */
export interface UserTrainerSetup {
  data: PreparedSplit;
  kinds: TaskKind[];
  groups: number[][];
  settings: EngineSettings;
  seed: number;
  module: UserModelModule;
  model: ModelRef;
  inputShape: number[];
}

/** Rows per forward pass when validating and testing: bounds memory on large parts (images). */
const EVALUATION_ROWS = 1024;

/**
 * tfjs draws unseeded random numbers (initialisers, dropout masks) from Math.random. Running `fn` with Math.random
 * replaced by a seeded stream makes a user's network reproducible without asking the user to seed every layer.
 */
function withSeededMathRandom<T>(random: Random, fn: () => T): T {
  const original = Math.random;
  Math.random = random;
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

/** The random stream of epoch `epoch` (0: building the networks), past the streams of the split, init and batches. */
const layerStream = (seed: number, epoch: number): Random => seededRandom(seed, RANDOM_STREAM.layers + epoch);

/** A network's start with `slots` head slots from a one-slot template: every slot begins as its one head (COMMON_START). */
function commonStart(template: tf.LayersModel, slots: number): tf.Tensor[] {
  return template.layers.flatMap((layer) =>
    layer.name === HEADS_LAYER
      ? layer.getWeights().map((w) => tf.tile(w, w.rank === 2 ? [1, slots] : [slots]))
      : layer.getWeights().map((w) => w.clone()),
  );
}

/**
 * The user's networks of one seed, each a tfjs LayersModel (the trunk plus one head per slot) stepped by the engine's
 * Adam. All of them start from one set of weights drawn with the seed's random stream, every head slot from one head
 * (COMMON_START), and every network's epoch e draws its dropout masks from the same stream.
 */
export class UserModelTrainer implements EpochTrainer {
  private networks: {
    model: tf.LayersModel;
    optimizer: Adam;
    targets: tf.Tensor1D;
    weights: tf.Tensor1D;
    binary: tf.Tensor1D;
  }[];
  private readonly parts: Record<'train' | 'validation' | 'test', { x: tf.Tensor; y: tf.Tensor2D }>;
  private readonly slots: number;
  private epoch = 0;

  constructor(private readonly setup: UserTrainerSetup) {
    const { data, kinds, groups, settings, seed, module, model, inputShape } = setup;
    this.slots = slotsOf(groups);
    const S = this.slots;
    const build = (slots: number): tf.LayersModel => buildNetwork(module, model, inputShape, slots, seed);
    // The start is drawn with one head slot, so that it is the same whatever the largest group (a network trained alone
    // and one trained in a pair draw alike), then copied to every slot.
    const template = withSeededMathRandom(layerStream(seed, 0), () => build(1));
    const start = commonStart(template, S);
    template.dispose();
    const layout = slotLayout(groups, kinds, settings, S);
    this.networks = groups.map((_, k) => {
      const network = build(S);
      network.setWeights(start);
      const slice = (values: ArrayLike<number>): number[] => Array.from(values).slice(k * S, (k + 1) * S);
      return {
        model: network,
        optimizer: new Adam(
          network.trainableWeights.map((w) => w.read() as tf.Variable),
          settings.learningRate,
        ),
        targets: tf.tensor1d(slice(layout.slotTask), 'int32'),
        weights: tf.tensor1d(slice(layout.slotWeight)),
        binary: tf.tensor1d(slice(layout.slotBinary)),
      };
    });
    tf.dispose(start);
    const toTensors = (part: Part) => ({
      x: tf.tensor(part.features, [part.rows, ...inputShape]),
      y: tf.tensor2d(part.targets, [part.rows, kinds.length]),
    });
    this.parts = { train: toTensors(data.train), validation: toTensors(data.validation), test: toTensors(data.test) };
  }

  /** Mean loss per slot over the rows [S]: binary cross-entropy on the logit or squared error, as the built-in model. */
  private slotLosses(
    network: UserModelTrainer['networks'][number],
    x: tf.Tensor,
    y: tf.Tensor2D,
    training: boolean,
  ): tf.Tensor1D {
    const out = network.model.apply(x, { training }) as tf.Tensor2D;
    const target = tf.gather(y, network.targets, 1);
    const crossEntropy = tf.losses.sigmoidCrossEntropy(target, out, undefined, 0, tf.Reduction.NONE);
    const squared = tf.squaredDifference(out, target);
    return tf.mean(
      tf.add(tf.mul(network.binary, crossEntropy), tf.mul(tf.sub(1, network.binary), squared)),
      0,
    ) as tf.Tensor1D;
  }

  trainEpoch(order: Int32Array): void {
    const { batchSize } = this.setup.settings;
    const epoch = ++this.epoch;
    for (const network of this.networks) {
      const variables = network.model.trainableWeights.map((w) => w.read() as tf.Variable);
      withSeededMathRandom(layerStream(this.setup.seed, epoch), () => {
        for (let start = 0; start < order.length; start += batchSize)
          tf.tidy(() => {
            const rows = tf.tensor1d(order.subarray(start, start + batchSize), 'int32');
            const x = tf.gather(this.parts.train.x, rows);
            const y = tf.gather(this.parts.train.y, rows);
            const objective = (): tf.Scalar => tf.sum(tf.mul(this.slotLosses(network, x, y, true), network.weights));
            const { grads } = tf.variableGrads(objective, variables);
            network.optimizer.step(
              variables,
              variables.map((v) => grads[v.name]),
            );
          });
      });
    }
  }

  /** Per network and slot [networks x S], from forward passes of at most EVALUATION_ROWS rows. */
  private evaluate(part: { x: tf.Tensor; y: tf.Tensor2D }, networks: UserModelTrainer['networks']): Float32Array {
    const rows = part.x.shape[0];
    const losses = new Float32Array(networks.length * this.slots);
    networks.forEach((network, j) => {
      for (let start = 0; start < rows; start += EVALUATION_ROWS) {
        const size = Math.min(EVALUATION_ROWS, rows - start);
        const chunk = tf.tidy(() =>
          tf.mul(
            this.slotLosses(network, tf.slice(part.x, start, size), tf.slice(part.y, start, size), false),
            size / rows,
          ),
        );
        (chunk.dataSync() as Float32Array).forEach((loss, s) => (losses[j * this.slots + s] += loss));
        chunk.dispose();
      }
    });
    return losses;
  }

  validate(): { slots: Float32Array; totals: Float32Array } {
    const slots = this.evaluate(this.parts.validation, this.networks);
    const totals = Float32Array.from(this.networks, (network, j) => {
      const weights = Array.from(network.weights.dataSync());
      return weights.reduce((sum, w, s) => sum + w * slots[j * this.slots + s], 0);
    });
    return { slots, totals };
  }

  test(positions: number[]): Float32Array {
    return this.evaluate(
      this.parts.test,
      positions.map((j) => this.networks[j]),
    );
  }

  weights(): LayerWeights[] {
    throw new Error('a user model has no fused-layer weights to return');
  }

  keep(positions: number[]): void {
    this.networks.forEach((network, j) => positions.includes(j) || disposeNetwork(network));
    this.networks = positions.map((j) => this.networks[j]);
  }

  dispose(): void {
    this.networks.forEach(disposeNetwork);
    tf.dispose(Object.values(this.parts).flatMap((part) => [part.x, part.y]));
  }
}

function disposeNetwork(network: UserModelTrainer['networks'][number]): void {
  network.model.dispose();
  network.optimizer.dispose();
  tf.dispose([network.targets, network.weights, network.binary]);
}

/**
 * Trains the user's networks network by network (one model in memory at a time), each through the loop the built-in
 * engine uses (selectEpochs: batch order, selection on validation, patience). A network's result does not depend on
 * which others share its call: its start, batch order and random streams come from the seed alone.
 */
export function trainUserNetworks(setup: UserTrainerSetup, onEpoch?: EpochHook): NetworkOutcome[] {
  return setup.groups.flatMap((group) =>
    selectEpochs(
      new UserModelTrainer({ ...setup, groups: [group] }),
      [group],
      setup.data.train.rows,
      setup.settings,
      setup.seed,
      onEpoch,
    ),
  );
}
