import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../../data/dataset.js';
import { normalSampler, seededRandom } from '../../data/random.js';
import type { Part, PreparedSplit } from '../../data/split.js';
import type { LayerWeights } from '../../engine/start.js';
import type { EngineSettings } from '../../engine/settings.js';
import { trainNetworks } from '../../engine/train.js';
import type { Matrix } from '../gain.js';
import type { ProxyEstimate } from './registry.js';

export interface LinearisedOptions {
  /** Per layer, the projected width of its input side and of its output side: q·r features per layer (default 8 x 8). */
  inputSketch?: number;
  outputSketch?: number;
  seed?: number;
}

/** Ridge strengths tried, as multiples of the mean diagonal of a single task's curvature; the singles' validation loss picks. */
const RIDGE_GRID = [0.01, 0.03, 0.1, 0.3, 1, 3];

/** Per task: projected per-example gradients of its output and the base model's outputs, on one part of the split. */
export interface TaskFeatures {
  /** [rows, p] row-major. */
  gradients: Float32Array;
  outputs: Float32Array;
  targets: Float32Array;
}

/** One trunk layer's Kronecker sketch: input side [in + 1, q] (the bias as a last input), output side [out, r]. */
export interface Sketch {
  input: tf.Tensor2D;
  output: tf.Tensor2D;
}

/**
 * Projected per-example gradients of every task's output with respect to the shared trunk, from the outer-product
 * structure of a dense layer: d f_t / d W_l = a_l ⊗ δ_l,t (a_l the layer's input with a 1 for the bias, δ_l,t the
 * slope of f_t at the layer's pre-activation). The projection is a Kronecker sketch (A_l ⊗ B_l)/sqrt(q r), applied as
 * (A_lᵀ a_l) ⊗ (B_lᵀ δ_l,t), so the full gradient is never formed.
 */
export function projectedGradients(
  part: Part,
  weights: LayerWeights[],
  kinds: TaskKind[],
  sketches: Sketch[],
): TaskFeatures[] {
  const T = kinds.length;
  const n = part.rows;
  const d = part.features.length / n;
  const [features, outputs] = tf.tidy(() => {
    const trunk = weights.slice(0, -1);
    const head = weights[weights.length - 1];
    const H = head.weight.length / T;
    const inputs: tf.Tensor2D[] = []; // a_l with the bias column
    const masks: tf.Tensor2D[] = [];
    let a = tf.tensor2d(part.features, [n, d]);
    for (const layer of trunk) {
      const width = layer.bias.length;
      inputs.push(tf.concat([a, tf.ones([n, 1])], 1));
      const z = tf.add(tf.matMul(a, tf.tensor2d(layer.weight, [a.shape[1], width])), tf.tensor1d(layer.bias));
      masks.push(tf.step(z) as tf.Tensor2D);
      a = tf.relu(z) as tf.Tensor2D;
    }
    const headWeight = tf.tensor2d(head.weight, [H, T]);
    const outputs = tf.add(tf.matMul(a, headWeight), tf.tensor1d(head.bias)); // [n, T]
    // δ of the last hidden layer: [n, T, H] = mask[n, 1, H] * u_t[1, T, H]
    let delta: tf.Tensor3D = tf.mul(
      tf.expandDims(masks[masks.length - 1], 1),
      tf.expandDims(tf.transpose(headWeight), 0),
    );
    const perLayer: tf.Tensor[] = [];
    for (let l = trunk.length - 1; l >= 0; l--) {
      const width = trunk[l].bias.length;
      const sketchedInput = tf.matMul(inputs[l], sketches[l].input); // [n, q]
      const sketchedDelta = tf.reshape(tf.matMul(tf.reshape(delta, [n * T, width]), sketches[l].output), [n, T, -1]); // [n, T, r]
      const q = sketches[l].input.shape[1];
      const r = sketches[l].output.shape[1];
      perLayer.unshift(
        tf.reshape(tf.mul(tf.reshape(sketchedInput, [n, 1, q, 1]), tf.reshape(sketchedDelta, [n, T, 1, r])), [
          n,
          T,
          q * r,
        ]),
      );
      if (l > 0) {
        const previous = trunk[l - 1].bias.length;
        const back = tf.matMul(
          tf.reshape(delta, [n * T, width]),
          tf.tensor2d(trunk[l].weight, [previous, width]),
          false,
          true,
        );
        delta = tf.mul(tf.reshape(back, [n, T, previous]), tf.expandDims(masks[l - 1], 1));
      }
    }
    return [tf.transpose(tf.concat(perLayer, 2), [1, 0, 2]), tf.transpose(outputs)]; // [T, n, p], [T, n]
  });
  const p = features.shape[2] as number;
  const values = features.dataSync() as Float32Array;
  const out = outputs.dataSync() as Float32Array;
  tf.dispose([features, outputs]);
  return kinds.map((_, t) => ({
    gradients: values.subarray(t * n * p, (t + 1) * n * p),
    outputs: out.subarray(t * n, (t + 1) * n),
    targets: Float32Array.from({ length: n }, (_, r) => part.targets[r * T + t]),
  }));
}

/** Loss, slope and curvature of one output against its target: BCE on a logit or squared error. */
function pointLoss(kind: TaskKind, f: number, y: number): [loss: number, slope: number, curvature: number] {
  if (kind === 'regression') return [(f - y) ** 2, 2 * (f - y), 2];
  const s = 1 / (1 + Math.exp(-f));
  return [Math.max(f, 0) - f * y + Math.log1p(Math.exp(-Math.abs(f))), s - y, s * (1 - s)];
}

/** Mean gradient b_t and curvature H_t (p x p, row-major) of one task's training loss in the linearised model at w = 0. */
function taskQuadratic(
  kind: TaskKind,
  features: TaskFeatures,
  p: number,
): { gradient: Float64Array; curvature: Float64Array } {
  const n = features.outputs.length;
  const gradient = new Float64Array(p);
  const curvature = new Float64Array(p * p);
  for (let r = 0; r < n; r++) {
    const [, slope, weight] = pointLoss(kind, features.outputs[r], features.targets[r]);
    const g = features.gradients.subarray(r * p, (r + 1) * p);
    for (let a = 0; a < p; a++) {
      gradient[a] += (slope * g[a]) / n;
      const wa = (weight * g[a]) / n;
      for (let b = a; b < p; b++) curvature[a * p + b] += wa * g[b];
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) curvature[a * p + b] = curvature[b * p + a];
  return { gradient, curvature };
}

/** Mean validation loss of a task when its outputs move to f + g·w. */
function validationLoss(kind: TaskKind, features: TaskFeatures, w: Float64Array): number {
  const p = w.length;
  const n = features.outputs.length;
  let total = 0;
  for (let r = 0; r < n; r++) {
    let f = features.outputs[r];
    for (let a = 0; a < p; a++) f += features.gradients[r * p + a] * w[a];
    total += pointLoss(kind, f, features.targets[r])[0];
  }
  return total / n;
}

/**
 * The linearised gradient estimator (after Li, Sharma, Zhang, KDD 2024, "Grad-TAE"): one network trained on all tasks
 * is the base; each task's output near it is linear in the change w of the shared trunk along randomly projected
 * per-example gradients, f_t(x) + g_t(x)·w. Fitting w to a subset S's training loss approximates training the subset,
 * and the fitted model's validation loss of each task in S estimates what that network would reach. Every pair (and
 * any larger subset, `subsetLoss`) costs one small linear solve instead of a network.
 */
export function linearisedGradientEstimate(
  data: PreparedSplit,
  kinds: TaskKind[],
  settings: EngineSettings,
  options: LinearisedOptions = {},
): ProxyEstimate {
  const T = kinds.length;
  const seed = options.seed ?? 0;
  const [base] = trainNetworks(data, kinds, [kinds.map((_, t) => t)], settings, seed, undefined, undefined, {
    keepBestWeights: true,
  });
  const weights = base.bestWeights as LayerWeights[];
  const q = options.inputSketch ?? 8;
  const r = options.outputSketch ?? 8;
  const normal = normalSampler(seededRandom(seed, 13));
  const scale = 1 / Math.sqrt(q * r);
  const sketches = weights.slice(0, -1).map((layer) => {
    const width = layer.bias.length;
    const inWidth = layer.weight.length / width + 1;
    return {
      input: tf.tensor2d(
        Float32Array.from({ length: inWidth * q }, () => normal() * Math.sqrt(scale)),
        [inWidth, q],
      ),
      output: tf.tensor2d(
        Float32Array.from({ length: width * r }, () => normal() * Math.sqrt(scale)),
        [width, r],
      ),
    };
  });
  const train = projectedGradients(data.train, weights, kinds, sketches);
  const validation = projectedGradients(data.validation, weights, kinds, sketches);
  tf.dispose(sketches.flatMap((s) => [s.input, s.output]));
  const p = sketches.length * q * r;
  const quadratics = kinds.map((kind, t) => taskQuadratic(kind, train[t], p));
  const meanDiagonal =
    quadratics.reduce(
      (s, { curvature }) => s + Array.from({ length: p }, (_, a) => curvature[a * p + a]).reduce((x, y) => x + y, 0),
      0,
    ) /
    (T * p);

  /** One Newton step of the subset's ridge-regularised training loss from the base: w = −(Σ H_t + λI)⁻¹ Σ b_t. */
  const system = new Float64Array(p * p);
  const fitted = (group: readonly number[], ridge: number): Float64Array => {
    const rhs = new Float64Array(p);
    system.fill(0);
    for (const t of group) {
      const { gradient, curvature } = quadratics[t];
      for (let a = 0; a < p; a++) rhs[a] -= gradient[a];
      for (let k = 0; k < p * p; k++) system[k] += curvature[k];
    }
    for (let a = 0; a < p; a++) system[a * p + a] += ridge * group.length;
    return choleskySolve(system, rhs, p);
  };
  const lossesAt = (group: readonly number[], ridge: number): number[] => {
    const w = fitted(group, ridge);
    return group.map((t) => validationLoss(kinds[t], validation[t], w));
  };
  // the ridge is the one choice: the strength whose single-task fits reach the lowest validation loss on average
  let ridge = NaN;
  let bestSingles = Infinity;
  let singles: number[] = [];
  for (const multiple of RIDGE_GRID) {
    const candidate = kinds.map((_, t) => lossesAt([t], multiple * meanDiagonal)[0]);
    const total = candidate.reduce((s, l) => s + l, 0);
    if (total < bestSingles) [bestSingles, ridge, singles] = [total, multiple * meanDiagonal, candidate];
  }
  const matrix: Matrix = kinds.map(() => new Array<number>(T).fill(0));
  for (let i = 0; i < T; i++)
    for (let j = i + 1; j < T; j++) {
      const [li, lj] = lossesAt([i, j], ridge);
      matrix[i][j] = 1 - li / singles[i];
      matrix[j][i] = 1 - lj / singles[j];
    }
  return {
    matrix,
    networksTrained: 1,
    subsetLoss: (group) => lossesAt([...group], ridge),
    deviation:
      `gradients of the shared trunk only (heads stay at the base); a Kronecker sketch of ${p} dimensions (${q} x ${r} per layer) instead of a dense ` +
      "Gaussian projection; one ridge-regularised Newton step of each subset's loss from the base instead of fitting the surrogate to convergence",
    details: { projectedDimensions: p, ridge, baseEpoch: base.bestEpoch },
  };
}

/**
 * Solves A x = b for a symmetric positive definite A (row-major, overwritten by its Cholesky factor). By hand rather
 * than ml-matrix's CholeskyDecomposition: a pair costs one 128 x 128 solve and 174 tasks have 15,051 pairs, where
 * flat typed arrays are several times faster than ml-matrix's arrays of rows.
 */
function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  for (let j = 0; j < p; j++) {
    let diagonal = a[j * p + j];
    for (let k = 0; k < j; k++) diagonal -= a[j * p + k] ** 2;
    if (!(diagonal > 0)) throw new RangeError('the linearised system is not positive definite');
    const root = Math.sqrt(diagonal);
    a[j * p + j] = root;
    for (let i = j + 1; i < p; i++) {
      let sum = a[i * p + j];
      for (let k = 0; k < j; k++) sum -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = sum / root;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < i; k++) x[i] -= a[i * p + k] * x[k];
    x[i] /= a[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    for (let k = i + 1; k < p; k++) x[i] -= a[k * p + i] * x[k];
    x[i] /= a[i * p + i];
  }
  return x;
}
