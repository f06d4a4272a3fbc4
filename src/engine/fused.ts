import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../data/dataset.js';
import type { EngineSettings } from './settings.js';
import { slotLayout, type LayerWeights } from './start.js';
import { slotsOf } from './memory.js';

/**
 * How the layers after the first apply each network's own weights (see FusedNetworks):
 * - `depthwise`: one depthwise convolution, networks as channels (fastest on wasm and cpu);
 * - `matmul`: one batched matMul [K, n, in] x [K, in, out] (fastest on the native tensorflow backend).
 * Both compute the same function with the same hand-written gradients, up to float rounding.
 */
export type Layout = 'depthwise' | 'matmul';

/** The faster layout for a backend: measured, TensorFlow's depthwise convolution is 10x slower than its batched matMul. */
export const layoutFor = (backend: string): Layout => (backend === 'tensorflow' ? 'matmul' : 'depthwise');

/** The environment variable that forces a layout on any backend (for tests and benchmarks; results do not change). */
export const LAYOUT_ENV = 'TRA_FUSED_LAYOUT';

/** `TRA_FUSED_LAYOUT` when set, else the faster layout for the active backend. */
export function defaultLayout(): Layout {
  const forced = process.env[LAYOUT_ENV];
  if (forced === undefined || forced === '') return layoutFor(tf.getBackend());
  if (forced !== 'depthwise' && forced !== 'matmul')
    throw new Error(`${LAYOUT_ENV}='${forced}': choose depthwise or matmul`);
  return forced;
}

/** A model's weights already in its fused layout (in `variables` order), its layer widths and head slots. */
interface FusedState {
  variables: tf.Tensor[];
  widths: number[];
  slots: number;
}

/** A layer applied by every network with its own weights. */
interface PerNetworkLayer {
  /** depthwise: the filter [1, in, K, out]; matmul: [K, in, out]. */
  weight: tf.Variable;
  /** depthwise: [K*out]; matmul: [K, 1, out]; network-major in both. */
  bias: tf.Variable;
  inWidth: number;
  outWidth: number;
}

/** What the backward pass needs from the forward pass. */
interface Activations {
  /** The shared-input layer's output, unit-major [n, H1*K]. */
  first: tf.Tensor2D;
  /**
   * Inputs of the per-network layers (the first is `first`): depthwise unit-major [n, in*K]; matmul [K, n, in].
   */
  inputs: tf.Tensor[];
  /** Pre-activations of the per-network hidden layers, for the ReLU masks: depthwise network-major [n, K*out]; matmul [K, n, out]. */
  preActivations: tf.Tensor[];
  /** Network-major [n, K*S] in both layouts. */
  output: tf.Tensor2D;
}

/**
 * K hard-parameter-sharing networks (one per task group) trained as one computation. All networks of a seed start
 * from the same initial trunk and heads (common random numbers), so differences between them come from the groups.
 *
 * Layout, chosen per backend by measurement (K = 105, batch 64, 64 hidden units): the first layer of all networks is
 * one 2-D matMul [n, d] x [d, H1*K], since every network reads the same rows. Each later layer is, on wasm and cpu
 * (`depthwise`), one depthwise convolution with the networks as channels and the layer's input units as the kernel
 * width (13 ms on wasm, against 50 ms for the equivalent batched 3-D matMul; splitting into per-network tensors costs
 * about 1 ms per slice); activations alternate between unit-major [n, units, K] (a convolution's input) and
 * network-major [n, K, units] (its output). On the native tensorflow backend (`matmul`) it is one batched matMul
 * [K, n, in] x [K, in, out] (6-9 ms, against 64-130 ms for TensorFlow's depthwise convolution); activations stay
 * [K, n, units] after one transpose of the first layer's output.
 */
export class FusedNetworks {
  readonly K: number;
  /** Head slots per network: the largest group's size; smaller groups leave slots masked out. */
  readonly slots: number;
  private readonly firstWeight: tf.Variable<tf.Rank.R2>; // [d, H1*K], unit-major columns
  private readonly firstBias: tf.Variable<tf.Rank.R1>; // [H1*K]
  private readonly layers: PerNetworkLayer[]; // hidden layers 2.. and the head layer
  private readonly slotTask: tf.Tensor1D; // [K*S] task column feeding each slot
  private readonly slotWeight: tf.Tensor2D; // [1, K*S] task weight, 0 for empty slots
  private readonly slotWeightValues: Float32Array;
  private readonly slotBinary: tf.Tensor2D | null; // [1, K*S] 1 = BCE, 0 = squared error; null when all tasks share a kind
  private readonly allBinary: boolean;

  /**
   * @param start one network's weights, copied into every network: from `seededWeights` (a seed's common start), or
   *   a trained network's (`singleNetworkWeights`), e.g. to probe it.
   * @param slotWeights per network and slot [K*S]; default: each task's weight from the settings (1), 0 for empty slots.
   * @param layout default: `defaultLayout()`, the faster one for the active backend.
   */
  constructor(
    readonly groups: number[][],
    private readonly kinds: TaskKind[],
    private readonly settings: EngineSettings,
    start: LayerWeights[] | FusedState,
    slotWeights?: Float32Array,
    readonly layout: Layout = defaultLayout(),
  ) {
    this.K = groups.length;
    this.slots = 'variables' in start ? start.slots : slotsOf(groups);
    const { K, slots: S } = this;
    if ('variables' in start) {
      const [firstWeight, firstBias, ...later] = start.variables;
      this.firstWeight = tf.variable(firstWeight as tf.Tensor2D);
      this.firstBias = tf.variable(firstBias as tf.Tensor1D);
      this.layers = start.widths.slice(1, -1).map((inWidth, l) => ({
        weight: tf.variable(later[2 * l]),
        bias: tf.variable(later[2 * l + 1]),
        inWidth,
        outWidth: start.widths[l + 2],
      }));
    } else {
      [this.firstWeight, this.firstBias, this.layers] = this.fusedVariables(start);
    }

    const { slotTask, slotWeight, slotBinary } = slotLayout(groups, kinds, settings, S);
    this.slotWeightValues = slotWeights ?? slotWeight;
    this.slotTask = tf.tensor1d(slotTask, 'int32');
    this.slotWeight = tf.tensor2d(this.slotWeightValues, [1, K * S]);
    const used = groups.flat();
    this.allBinary = used.every((t) => kinds[t] === 'binary');
    const allRegression = used.every((t) => kinds[t] === 'regression');
    this.slotBinary = this.allBinary || allRegression ? null : tf.tensor2d(Float32Array.from(slotBinary), [1, K * S]);
  }

  /** One network's weights copied into every network, in the fused layout. */
  private fusedVariables(start: LayerWeights[]): [tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R1>, PerNetworkLayer[]] {
    const { K, layout } = this;
    const inputWidth = start[0].weight.length / start[0].bias.length;
    const widths = [inputWidth, ...start.map((layer) => layer.bias.length)];
    const [first, ...perNetwork] = start;
    const firstWeight = tf.variable(tf.tensor2d(repeatEach(first.weight, K), [inputWidth, widths[1] * K]));
    const firstBias = tf.variable(tf.tensor1d(repeatEach(first.bias, K)));
    const layers = perNetwork.map((layer, l) => {
      const inWidth = widths[l + 1];
      const outWidth = layer.bias.length;
      if (layout === 'matmul')
        return {
          weight: tf.variable(tf.tensor3d(repeatWhole(layer.weight, K), [K, inWidth, outWidth])),
          bias: tf.variable(tf.tensor3d(repeatWhole(layer.bias, K), [K, 1, outWidth])),
          inWidth,
          outWidth,
        };
      const filter = new Float32Array(inWidth * K * outWidth);
      for (let h = 0; h < inWidth; h++)
        for (let k = 0; k < K; k++)
          filter.set(layer.weight.subarray(h * outWidth, (h + 1) * outWidth), (h * K + k) * outWidth);
      return {
        weight: tf.variable(tf.tensor4d(filter, [1, inWidth, K, outWidth])),
        bias: tf.variable(tf.tensor1d(repeatWhole(layer.bias, K))),
        inWidth,
        outWidth,
      };
    });
    return [firstWeight, firstBias, layers];
  }

  /**
   * The networks `keep` (indices into `groups`) as a model of their own with their current weights, e.g. to go on
   * training only the networks that have not stopped. Their computations do not change: no network's update reads
   * another network's weights.
   */
  keepNetworks(keep: number[]): FusedNetworks {
    const S = this.slots;
    const slotWeights = new Float32Array(keep.length * S);
    keep.forEach((k, j) => slotWeights.set(this.slotWeightValues.subarray(k * S, (k + 1) * S), j * S));
    const widths = [this.firstWeight.shape[0], ...this.layers.map((l) => l.inWidth), this.layers.at(-1)?.outWidth ?? 0];
    const variables = this.gatherNetworks(this.variables, keep);
    const model = new FusedNetworks(
      keep.map((k) => this.groups[k]),
      this.kinds,
      this.settings,
      { variables, widths, slots: S },
      slotWeights,
      this.layout,
    );
    tf.dispose(variables);
    return model;
  }

  /** Networks `keep`'s parts of tensors shaped like `variables` (the weights, or an optimizer's moments of them). */
  gatherNetworks(values: readonly tf.Tensor[], keep: number[]): tf.Tensor[] {
    return tf.tidy(() => {
      const indices = tf.tensor1d(keep, 'int32');
      const { K } = this;
      const [d, H1] = [this.firstWeight.shape[0], this.layers[0].inWidth];
      const [firstWeight, firstBias, ...later] = values;
      // unit-major columns h*K + k; per-network layers network-major (depthwise filters: networks on axis 2)
      const byNetworkRow = (value: tf.Tensor): tf.Tensor =>
        tf.reshape(tf.gather(tf.reshape(value, [K, -1]), indices, 0), [-1]);
      return [
        tf.reshape(tf.gather(tf.reshape(firstWeight, [d, H1, K]), indices, 2), [d, -1]),
        tf.reshape(tf.gather(tf.reshape(firstBias, [H1, K]), indices, 1), [-1]),
        ...later.map((value, i) => {
          if (this.layout === 'matmul') return tf.gather(value, indices, 0);
          return i % 2 === 0 ? tf.gather(value, indices, 2) : byNetworkRow(value);
        }),
      ];
    });
  }

  /** The weights of network 0 (of a K = 1 model: the network), in the form the constructor takes. */
  singleNetworkWeights(): LayerWeights[] {
    return this.networkWeights(
      this.variables.map((v) => v.dataSync() as Float32Array),
      0,
    );
  }

  /**
   * Network k's weights in the form the constructor takes, from values of `variables` (in that order; e.g. a snapshot
   * taken at a network's best epoch), undoing the fused layouts.
   */
  networkWeights([firstWeight, firstBias, ...later]: Float32Array[], k: number): LayerWeights[] {
    const K = this.K;
    const d = this.firstWeight.shape[0];
    const H1 = this.layers[0].inWidth;
    const first = {
      weight: Float32Array.from(
        { length: d * H1 },
        (_, i) => firstWeight[Math.floor(i / H1) * H1 * K + (i % H1) * K + k],
      ),
      bias: Float32Array.from({ length: H1 }, (_, h) => firstBias[h * K + k]),
    };
    return [
      first,
      ...this.layers.map(({ inWidth, outWidth }, l) => {
        const [weight, bias] = [later[2 * l], later[2 * l + 1]];
        return {
          weight:
            this.layout === 'matmul'
              ? weight.slice(k * inWidth * outWidth, (k + 1) * inWidth * outWidth)
              : Float32Array.from(
                  { length: inWidth * outWidth },
                  (_, i) => weight[(Math.floor(i / outWidth) * K + k) * outWidth + (i % outWidth)],
                ),
          bias: bias.slice(k * outWidth, (k + 1) * outWidth),
        };
      }),
    ];
  }

  /** The layers whose weights all tasks share (all but the heads). */
  get trunkVariables(): tf.Variable[] {
    return [this.firstWeight, this.firstBias, ...this.layers.slice(0, -1).flatMap((l) => [l.weight, l.bias])];
  }

  /** Each network's gradient of the shared layers as one row [K, parameters], undoing the fused layouts. */
  trunkGradientRows(gradients: Map<tf.Variable, tf.Tensor>): tf.Tensor2D {
    const K = this.K;
    const unitMajor = (g: tf.Tensor): tf.Tensor2D => tf.transpose(tf.reshape(g, [-1, K]));
    const parts = [
      unitMajor(gradients.get(this.firstWeight) as tf.Tensor),
      unitMajor(gradients.get(this.firstBias) as tf.Tensor),
    ];
    for (const { weight, bias, inWidth, outWidth } of this.layers.slice(0, -1)) {
      const g = gradients.get(weight) as tf.Tensor;
      parts.push(
        this.layout === 'matmul'
          ? tf.reshape(g, [K, -1])
          : tf.reshape(tf.transpose(tf.reshape(g, [inWidth, K, outWidth]), [1, 0, 2]), [K, -1]),
      );
      parts.push(tf.reshape(gradients.get(bias) as tf.Tensor, [K, -1]));
    }
    return tf.concat(parts, 1);
  }

  get variables(): tf.Variable[] {
    return [this.firstWeight, this.firstBias, ...this.layers.flatMap((l) => [l.weight, l.bias])];
  }

  private forwardWithActivations(x: tf.Tensor2D): Activations {
    const first = tf.relu(tf.add(tf.matMul(x, this.firstWeight), this.firstBias)) as tf.Tensor2D;
    const matmul = this.layout === 'matmul';
    const inputs: tf.Tensor[] = [matmul ? this.unitMajorToBatched(first, this.layers[0].inWidth) : first];
    const preActivations: tf.Tensor[] = [];
    let output: tf.Tensor2D | undefined;
    this.layers.forEach((layer, l) => {
      const z = matmul
        ? tf.add(tf.matMul(inputs[l] as tf.Tensor3D, layer.weight as tf.Tensor3D), layer.bias)
        : tf.add(this.perNetwork(inputs[l] as tf.Tensor2D, layer.inWidth, layer.weight as tf.Tensor4D), layer.bias);
      if (l === this.layers.length - 1) {
        output = matmul ? this.batchedToNetworkMajor(z) : (z as tf.Tensor2D);
        return;
      }
      preActivations.push(z);
      inputs.push(matmul ? tf.relu(z) : this.toUnitMajor(tf.relu(z), layer.outWidth));
    });
    return { first, inputs, preActivations, output: output as tf.Tensor2D };
  }

  /** Unit-major [n, units*K] -> [K, n, units]. */
  private unitMajorToBatched(unitMajor: tf.Tensor2D, units: number): tf.Tensor3D {
    return tf.transpose(tf.reshape(unitMajor, [unitMajor.shape[0], units, this.K]), [2, 0, 1]);
  }

  /** [K, n, units] -> unit-major [n, units*K]. */
  private batchedToUnitMajor(batched: tf.Tensor): tf.Tensor2D {
    const [, n, units] = batched.shape;
    return tf.reshape(tf.transpose(batched, [1, 2, 0]), [n, units * this.K]);
  }

  /** [K, n, units] -> network-major [n, K*units]. */
  private batchedToNetworkMajor(batched: tf.Tensor): tf.Tensor2D {
    const [, n, units] = batched.shape;
    return tf.reshape(tf.transpose(batched, [1, 0, 2]), [n, this.K * units]);
  }

  /** Network-major [n, K*units] -> [K, n, units]. */
  private networkMajorToBatched(networkMajor: tf.Tensor2D, units: number): tf.Tensor3D {
    return tf.transpose(tf.reshape(networkMajor, [networkMajor.shape[0], this.K, units]), [1, 0, 2]);
  }

  /** Applies each network's [in, out] weights to its own units: unit-major [n, in*K] -> network-major [n, K*out]. */
  private perNetwork(unitMajor: tf.Tensor2D, inWidth: number, filter: tf.Tensor4D): tf.Tensor2D {
    const n = unitMajor.shape[0];
    const out = tf.depthwiseConv2d(tf.reshape<tf.Rank.R4>(unitMajor, [n, 1, inWidth, this.K]), filter, 1, 'valid');
    return tf.reshape(out, [n, -1]);
  }

  private toUnitMajor(networkMajor: tf.Tensor, units: number): tf.Tensor2D {
    const n = networkMajor.shape[0];
    return tf.reshape(tf.transpose(tf.reshape(networkMajor, [n, this.K, units]), [0, 2, 1]), [n, units * this.K]);
  }

  /** Per network and slot [n, K*S]: y's task columns in the order of the output. */
  private targets(y: tf.Tensor2D): tf.Tensor2D {
    return tf.gather(y, this.slotTask, 1);
  }

  private byKind(binary: () => tf.Tensor, regression: () => tf.Tensor): tf.Tensor {
    if (this.slotBinary)
      return tf.add(tf.mul(this.slotBinary, binary()), tf.mul(tf.sub(1, this.slotBinary), regression()));
    return this.allBinary ? binary() : regression();
  }

  /** Mean loss over the rows, per network and slot: [K, S] (empty slots hold a value that is never used). */
  slotLosses(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    const out = this.forwardWithActivations(x).output;
    const target = this.targets(y);
    const bce = (): tf.Tensor =>
      tf.add(tf.sub(tf.relu(out), tf.mul(out, target)), tf.log1p(tf.exp(tf.neg(tf.abs(out)))));
    const squared = (): tf.Tensor => tf.square(tf.sub(out, target));
    return tf.reshape(tf.mean(this.byKind(bce, squared), 0), [this.K, this.slots]);
  }

  /** Weighted per-network total of slot losses [K, S] -> [K]: the quantity training and model selection minimise. */
  networkTotals(slotLosses: tf.Tensor2D): tf.Tensor1D {
    return tf.sum(tf.mul(slotLosses, tf.reshape(this.slotWeight, [this.K, this.slots])), 1);
  }

  /**
   * Gradients of the summed objective, by hand: tfjs has no wasm kernels for the depthwise convolution's gradients,
   * and its autodiff of matMul emits transposed products that wasm runs about 10x slower than plain ones.
   */
  gradients(x: tf.Tensor2D, y: tf.Tensor2D): Map<tf.Variable, tf.Tensor> {
    const n = x.shape[0];
    const activations = this.forwardWithActivations(x);
    const { output } = activations;
    const target = this.targets(y);
    const lossSlope = this.byKind(
      () => tf.sub(tf.sigmoid(output), target),
      () => tf.mul(2, tf.sub(output, target)),
    );
    const upstream = tf.mul(lossSlope, tf.div(this.slotWeight, n)) as tf.Tensor2D; // network-major [n, K*S]
    const grads = new Map<tf.Variable, tf.Tensor>();
    const dFirstOutput =
      this.layout === 'matmul'
        ? this.backwardBatched(activations, upstream, grads)
        : this.backwardDepthwise(activations, upstream, grads);
    const dFirst = tf.mul(dFirstOutput, reluSlope(activations.first)) as tf.Tensor2D;
    grads.set(this.firstWeight, tf.matMul(tf.transpose(x), dFirst));
    grads.set(this.firstBias, tf.sum(dFirst, 0));
    return grads;
  }

  /**
   * Back through the per-network layers of the matmul layout: for input a [K, n, in], weight W [K, in, out] and the
   * slope g [K, n, out] of the layer's output, dW = aᵀg, dBias = Σ_rows g, d(input) = gWᵀ. Returns the slope of the
   * first layer's output, unit-major [n, H1*K].
   */
  private backwardBatched(
    { inputs, preActivations }: Activations,
    networkMajor: tf.Tensor2D,
    grads: Map<tf.Variable, tf.Tensor>,
  ): tf.Tensor2D {
    let upstream: tf.Tensor = this.networkMajorToBatched(networkMajor, this.slots);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { weight, bias } = this.layers[l];
      grads.set(weight, tf.matMul(inputs[l] as tf.Tensor3D, upstream as tf.Tensor3D, true, false));
      grads.set(bias, tf.sum(upstream, 1, true));
      const dInput = tf.matMul(upstream as tf.Tensor3D, weight as tf.Tensor3D, false, true);
      upstream = l > 0 ? tf.mul(dInput, reluSlope(preActivations[l - 1])) : dInput;
    }
    return this.batchedToUnitMajor(upstream);
  }

  /** Back through the per-network layers of the depthwise layout; returns the slope of the first layer's output, unit-major [n, H1*K]. */
  private backwardDepthwise(
    { inputs, preActivations }: Activations,
    networkMajor: tf.Tensor2D,
    grads: Map<tf.Variable, tf.Tensor>,
  ): tf.Tensor2D {
    const n = networkMajor.shape[0];
    let upstream = networkMajor; // network-major [n, K*out]
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { weight: filter, bias, inWidth, outWidth } = this.layers[l];
      const K = this.K;
      // dFilter[h, k, o] = sum over rows of input[row, h, k] * upstream[row, k, o]: rows become the kernel width.
      const inputByUnit = tf.reshape<tf.Rank.R4>(tf.transpose(tf.reshape(inputs[l], [n, inWidth, K]), [1, 0, 2]), [
        inWidth,
        1,
        n,
        K,
      ]);
      const dFilter = tf.depthwiseConv2d(
        inputByUnit,
        tf.reshape<tf.Rank.R4>(upstream, [1, n, K, outWidth]),
        1,
        'valid',
      );
      grads.set(filter, tf.reshape(dFilter, [1, inWidth, K, outWidth]));
      grads.set(bias, tf.sum(upstream, 0));
      // dInput[row, k, h] = sum over o of upstream[row, k, o] * filter[h, k, o]: the same layer with a transposed filter.
      const transposed = tf.reshape<tf.Rank.R4>(tf.transpose(tf.reshape(filter, [inWidth, K, outWidth]), [2, 1, 0]), [
        1,
        outWidth,
        K,
        inWidth,
      ]);
      const dInput = this.perNetwork(this.toUnitMajor(upstream, outWidth), outWidth, transposed);
      upstream = (l > 0 ? tf.mul(dInput, tf.step(preActivations[l - 1])) : dInput) as tf.Tensor2D;
    }
    return this.toUnitMajor(upstream, this.layers[0].inWidth);
  }

  dispose(): void {
    tf.dispose([...this.variables, this.slotTask, this.slotWeight, ...(this.slotBinary ? [this.slotBinary] : [])]);
  }
}

/**
 * ReLU's slope at z (or at relu(z)): 1 where z > 0, else 0. tfjs-node builds tf.step from six TensorFlow ops (about
 * 2.5 ms per call at K = 105, batch 64); a comparison and a cast give the same mask in two.
 */
function reluSlope(z: tf.Tensor): tf.Tensor {
  return tf.getBackend() === 'tensorflow' ? tf.cast(tf.greater(z, 0), 'float32') : tf.step(z);
}

/** [a, b, c] -> [a, a, b, b, c, c] for times = 2: unit-major copies of one network's values. */
function repeatEach(values: Float32Array, times: number): Float32Array {
  return Float32Array.from({ length: values.length * times }, (_, i) => values[Math.floor(i / times)]);
}

/** [a, b] -> [a, b, a, b] for times = 2: network-major copies. */
function repeatWhole(values: Float32Array, times: number): Float32Array {
  return Float32Array.from({ length: values.length * times }, (_, i) => values[i % values.length]);
}
