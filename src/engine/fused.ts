import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../data/dataset.js';
import { seededRandom, uniformSampler } from '../data/random.js';
import { RANDOM_STREAM } from '../data/split.js';
import type { EngineSettings } from './settings.js';

interface StackedLayer {
  weight: tf.Variable<tf.Rank.R3>; // [K, in, out]
  bias: tf.Variable<tf.Rank.R3>; // [K, 1, out]
}

/**
 * K hard-parameter-sharing networks (one per task group) trained as one computation. All networks of a seed start
 * from the same initial trunk and heads (common random numbers), so differences between them come from the groups.
 * The first layer of all networks is one 2-D matMul, since every network reads the same input rows; the later layers
 * are batched 3-D matMuls.
 */
export class FusedNetworks {
  readonly K: number;
  /** Head slots per network: the largest group's size; smaller groups leave slots masked out. */
  readonly slots: number;
  private readonly firstWeight: tf.Variable; // [d, K*H1]
  private readonly firstBias: tf.Variable; // [K*H1]
  private readonly layers: StackedLayer[]; // hidden layers 2.. and the head layer
  private readonly slotTask: tf.Tensor1D; // [K*S] task column feeding each slot
  private readonly slotWeight: tf.Tensor2D; // [K, S] task weight, 0 for empty slots
  private readonly slotBinary: tf.Tensor3D | null; // [K, 1, S] 1 = BCE, 0 = squared error; null when all tasks share a kind
  private readonly allBinary: boolean;

  constructor(
    readonly groups: number[][],
    kinds: TaskKind[],
    inputWidth: number,
    private readonly settings: EngineSettings,
    seed: number,
  ) {
    this.K = groups.length;
    this.slots = Math.max(...groups.map((g) => g.length));
    const widths = [inputWidth, ...settings.hidden];
    const init = initialLayers(widths, seed);
    const K = this.K;
    const H1 = widths[1];
    const tileColumns = (values: Float32Array, rows: number, cols: number): Float32Array => {
      const out = new Float32Array(rows * cols * K);
      for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) out.set(values.subarray(r * cols, (r + 1) * cols), (r * K + k) * cols);
      return out;
    };
    this.firstWeight = tf.variable(tf.tensor2d(tileColumns(init[0].weight, inputWidth, H1), [inputWidth, K * H1]));
    this.firstBias = tf.variable(tf.tensor1d(tileColumns(init[0].bias, 1, H1)));
    const repeat = (values: Float32Array, shape: [number, number]): tf.Tensor3D => {
      const out = new Float32Array(values.length * K);
      for (let k = 0; k < K; k++) out.set(values, k * values.length);
      return tf.tensor3d(out, [K, ...shape]);
    };
    this.layers = init.slice(1).map((layer, l) => ({
      weight: tf.variable(repeat(layer.weight, [widths[l + 1], widths[l + 2]])),
      bias: tf.variable(repeat(layer.bias, [1, widths[l + 2]])),
    }));
    const last = widths[widths.length - 1];
    const head = initialLayer(last, 1, seededRandom(seed, RANDOM_STREAM.init + 100));
    const S = this.slots;
    const headWeight = new Float32Array(last * S);
    for (let h = 0; h < last; h++) headWeight.fill(head.weight[h], h * S, (h + 1) * S);
    this.layers.push({
      weight: tf.variable(repeat(headWeight, [last, S])),
      bias: tf.variable(repeat(new Float32Array(S).fill(head.bias[0]), [1, S])),
    });

    const weights = settings.taskWeights ?? kinds.map(() => 1);
    const slotTask = new Int32Array(K * S);
    const slotWeight = new Float32Array(K * S);
    const slotBinary = new Float32Array(K * S);
    groups.forEach((group, k) =>
      group.forEach((task, s) => {
        slotTask[k * S + s] = task;
        slotWeight[k * S + s] = weights[task];
        slotBinary[k * S + s] = kinds[task] === 'binary' ? 1 : 0;
      }),
    );
    this.slotTask = tf.tensor1d(slotTask, 'int32');
    this.slotWeight = tf.tensor2d(slotWeight, [K, S]);
    const used = groups.flat();
    this.allBinary = used.every((t) => kinds[t] === 'binary');
    const allRegression = used.every((t) => kinds[t] === 'regression');
    this.slotBinary = this.allBinary || allRegression ? null : tf.tensor3d(slotBinary, [K, 1, S]);
  }

  get variables(): tf.Variable[] {
    return [this.firstWeight, this.firstBias, ...this.layers.flatMap((l) => [l.weight, l.bias])];
  }

  /** Outputs [K, n, S]: a logit (binary task) or a prediction (regression task) per network, row and slot. */
  forward(x: tf.Tensor2D): tf.Tensor3D {
    return this.forwardWithActivations(x).output;
  }

  /** Keeps every layer's activation for the hand-written backward pass. */
  private forwardWithActivations(x: tf.Tensor2D): { activations: tf.Tensor3D[]; output: tf.Tensor3D } {
    const n = x.shape[0];
    const first = tf.relu(tf.add(tf.matMul(x, this.firstWeight), this.firstBias));
    const activations = [tf.transpose(tf.reshape(first, [n, this.K, this.settings.hidden[0]]), [1, 0, 2]) as tf.Tensor3D];
    this.layers.forEach((layer, l) => {
      const z = tf.add(tf.matMul(activations[l], layer.weight), layer.bias) as tf.Tensor3D;
      activations.push(l < this.layers.length - 1 ? tf.relu(z) : z);
    });
    return { activations, output: activations.pop() as tf.Tensor3D };
  }

  private targets(y: tf.Tensor2D): tf.Tensor3D {
    const n = y.shape[0];
    return tf.transpose(tf.reshape(tf.gather(y, this.slotTask, 1), [n, this.K, this.slots]), [1, 0, 2]);
  }

  /** Mean loss over the rows, per network and slot: [K, S] (empty slots hold a value that is never used). */
  slotLosses(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    const out = this.forward(x);
    const target = this.targets(y);
    const bce = (): tf.Tensor =>
      tf.add(tf.sub(tf.relu(out), tf.mul(out, target)), tf.log1p(tf.exp(tf.neg(tf.abs(out)))));
    const squared = (): tf.Tensor => tf.square(tf.sub(out, target));
    return tf.mean(this.byKind(bce, squared), 1) as tf.Tensor2D;
  }

  private byKind(binary: () => tf.Tensor, regression: () => tf.Tensor): tf.Tensor {
    if (this.slotBinary) return tf.add(tf.mul(this.slotBinary, binary()), tf.mul(tf.sub(1, this.slotBinary), regression()));
    return this.allBinary ? binary() : regression();
  }

  /** Weighted per-network total of slot losses [K, S] -> [K]: the quantity training and model selection minimise. */
  networkTotals(slotLosses: tf.Tensor2D): tf.Tensor1D {
    return tf.sum(tf.mul(slotLosses, this.slotWeight), 1);
  }

  /**
   * Gradients of the summed objective, by hand: tfjs autodiff emits transposed matMuls, which the wasm backend runs
   * about 10x slower than a plain matMul after an explicit transpose.
   */
  gradients(x: tf.Tensor2D, y: tf.Tensor2D): Map<tf.Variable, tf.Tensor> {
    const n = x.shape[0];
    const { activations, output } = this.forwardWithActivations(x);
    const target = this.targets(y);
    const lossSlope = this.byKind(
      () => tf.sub(tf.sigmoid(output), target),
      () => tf.mul(2, tf.sub(output, target)),
    );
    let upstream = tf.mul(lossSlope, tf.div(tf.expandDims(this.slotWeight, 1), n)) as tf.Tensor3D;
    const grads = new Map<tf.Variable, tf.Tensor>();
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { weight, bias } = this.layers[l];
      const input = activations[l];
      grads.set(weight, tf.matMul(tf.transpose(input, [0, 2, 1]), upstream));
      grads.set(bias, tf.sum(upstream, 1, true));
      const back = tf.matMul(upstream, tf.transpose(weight, [0, 2, 1]));
      upstream = tf.mul(back, tf.step(input)) as tf.Tensor3D;
    }
    const firstUpstream = tf.reshape(tf.transpose(upstream, [1, 0, 2]), [n, -1]) as tf.Tensor2D;
    grads.set(this.firstWeight, tf.matMul(tf.transpose(x), firstUpstream));
    grads.set(this.firstBias, tf.sum(firstUpstream, 0));
    return grads;
  }

  dispose(): void {
    tf.dispose([...this.variables, this.slotTask, this.slotWeight, ...(this.slotBinary ? [this.slotBinary] : [])]);
  }
}

interface InitialLayer {
  weight: Float32Array; // [in, out] row-major
  bias: Float32Array;
}

/** PyTorch's default Linear initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, seeded. */
function initialLayer(fanIn: number, fanOut: number, random: () => number): InitialLayer {
  const bound = 1 / Math.sqrt(fanIn);
  const draw = uniformSampler(random, -bound, bound);
  return { weight: Float32Array.from({ length: fanIn * fanOut }, draw), bias: Float32Array.from({ length: fanOut }, draw) };
}

function initialLayers(widths: number[], seed: number): InitialLayer[] {
  const random = seededRandom(seed, RANDOM_STREAM.init);
  return widths.slice(1).map((out, l) => initialLayer(widths[l], out, random));
}
