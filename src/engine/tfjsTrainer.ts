import * as tf from '@tensorflow/tfjs';
import type { Part } from '../data/split.js';
import { Adam } from './adam.js';
import { FusedNetworks } from './fused.js';
import type { LayerWeights } from './start.js';
import type { EngineSettings } from './settings.js';
import type { EpochTrainer, StepHook, TrainerSetup } from './train.js';

/** The tfjs implementation: FusedNetworks stepped by the engine's Adam on the active tfjs backend. */
export class TfjsTrainer implements EpochTrainer {
  private model: FusedNetworks;
  private readonly optimizer: Adam;
  private readonly train: { x: tf.Tensor2D; y: tf.Tensor2D };
  private readonly validation: { x: tf.Tensor2D; y: tf.Tensor2D };
  private readonly testPart: { x: tf.Tensor2D; y: tf.Tensor2D };
  private step = 0;
  /** The variables' values, read once per epoch and only if some network's weights are asked for. */
  private values: Float32Array[] | undefined;
  private readonly settings: EngineSettings;

  constructor(
    { data, kinds, groups, settings, start }: TrainerSetup,
    private readonly onStep?: StepHook,
  ) {
    this.settings = settings;
    const d = data.train.features.length / data.train.rows;
    const toTensors = (part: Part) => ({
      x: tf.tensor2d(part.features, [part.rows, d]),
      y: tf.tensor2d(part.targets, [part.rows, kinds.length]),
    });
    this.model = new FusedNetworks(groups, kinds, settings, start);
    this.train = toTensors(data.train);
    this.validation = toTensors(data.validation);
    this.testPart = toTensors(data.test);
    this.optimizer = new Adam(this.model.variables, settings.learningRate);
  }

  trainEpoch(order: Int32Array): void {
    this.values = undefined;
    for (let start = 0; start < order.length; start += this.settings.batchSize) {
      tf.tidy(() => {
        const rows = tf.tensor1d(order.subarray(start, start + this.settings.batchSize), 'int32');
        const x = tf.gather(this.train.x, rows);
        const y = tf.gather(this.train.y, rows);
        this.onStep?.(this.model, x, y, this.step++, this.optimizer);
        const gradients = this.model.gradients(x, y);
        this.optimizer.step(
          this.model.variables,
          this.model.variables.map((v) => gradients.get(v) as tf.Tensor),
        );
      });
    }
  }

  validate(): { slots: Float32Array; totals: Float32Array } {
    const [slots, totals] = tf.tidy(() => {
      const v = this.model.slotLosses(this.validation.x, this.validation.y);
      return [v, this.model.networkTotals(v)];
    });
    const result = { slots: slots.dataSync() as Float32Array, totals: totals.dataSync() as Float32Array };
    tf.dispose([slots, totals]);
    return result;
  }

  /** All networks share one forward pass here, so it runs for all of them and returns the rows of `positions`. */
  test(positions: number[]): Float32Array {
    const slots = tf.tidy(() => this.model.slotLosses(this.testPart.x, this.testPart.y));
    const all = slots.dataSync() as Float32Array;
    slots.dispose();
    const S = this.model.slots;
    const picked = new Float32Array(positions.length * S);
    positions.forEach((j, i) => picked.set(all.subarray(j * S, (j + 1) * S), i * S));
    return picked;
  }

  weights(position: number): LayerWeights[] {
    this.values ??= this.model.variables.map((variable) => variable.dataSync() as Float32Array);
    return this.model.networkWeights(this.values, position);
  }

  keep(positions: number[]): void {
    const smaller = this.model.keepNetworks(positions);
    this.optimizer.keep((moments) => this.model.gatherNetworks(moments, positions));
    this.model.dispose();
    this.model = smaller;
    this.values = undefined;
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
    tf.dispose([this.train.x, this.train.y, this.validation.x, this.validation.y, this.testPart.x, this.testPart.y]);
  }
}
