import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../data/dataset.js';
import { columnMoments, type Part, type PreparedSplit } from '../data/split.js';
import type { LayerWeights } from '../engine/start.js';

/**
 * A trained network's forward pass, as the engine computes it: ReLU hidden layers, then a linear head (one unit per
 * slot). Without the head: the frozen trunk's output. Call inside tf.tidy.
 */
function forward(layers: LayerWeights[], part: Part, throughHead: boolean): tf.Tensor2D {
  const used = throughHead ? layers : layers.slice(0, -1);
  let h = tf.tensor2d(part.features, [part.rows, part.features.length / part.rows]);
  used.forEach(({ weight, bias }, l) => {
    const z = tf.add(
      tf.matMul(h, tf.tensor2d(weight, [weight.length / bias.length, bias.length])),
      tf.tensor1d(bias),
    ) as tf.Tensor2D;
    h = throughHead && l === used.length - 1 ? z : tf.relu(z);
  });
  return h;
}

/** The split seen through a frozen trunk: each row's features become the trunk's output (last hidden layer). */
export function throughTrunk(layers: LayerWeights[], data: PreparedSplit): PreparedSplit {
  const part = (p: Part): Part => ({
    rows: p.rows,
    features: tf.tidy(() => forward(layers, p, false).dataSync() as Float32Array),
    targets: p.targets,
  });
  return { train: part(data.train), validation: part(data.validation), test: part(data.test) };
}

/**
 * Each row's loss of a network's head `slot` (0 for a single-task network; k for the k-th task of a group) for `task`,
 * as the engine measures it: binary cross-entropy on the logit, or squared error.
 */
export function exampleLosses(
  layers: LayerWeights[],
  part: Part,
  task: number,
  kind: TaskKind,
  slot = 0,
): Float64Array {
  const T = part.targets.length / part.rows;
  const logits = tf.tidy(() => forward(layers, part, true).dataSync());
  const slots = logits.length / part.rows;
  return Float64Array.from({ length: part.rows }, (_, r) => {
    const z = logits[r * slots + slot];
    const y = part.targets[r * T + task];
    return kind === 'binary' ? Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))) : (z - y) ** 2;
  });
}

/**
 * Splits of the same rows side by side: each row's features concatenated in the given order, standardised with the
 * training rows as the raw features are (a readout on several trunks sees each on the same scale).
 */
export function sideBySide(splits: PreparedSplit[]): PreparedSplit {
  const widths = splits.map((s) => s.train.features.length / s.train.rows);
  const width = widths.reduce((a, b) => a + b, 0);
  const join = (parts: Part[]): Part => {
    const rows = parts[0].rows;
    const features = new Float32Array(rows * width);
    let offset = 0;
    parts.forEach((p, k) => {
      for (let r = 0; r < rows; r++)
        features.set(p.features.subarray(r * widths[k], (r + 1) * widths[k]), r * width + offset);
      offset += widths[k];
    });
    return { rows, features, targets: parts[0].targets };
  };
  const joined = {
    train: join(splits.map((s) => s.train)),
    validation: join(splits.map((s) => s.validation)),
    test: join(splits.map((s) => s.test)),
  };
  const { mean, sd } = columnMoments(
    joined.train.features,
    width,
    Array.from({ length: joined.train.rows }, (_, r) => r),
  );
  const standardise = (p: Part): Part => ({
    ...p,
    features: p.features.map((v, i) => (v - mean[i % width]) / sd[i % width]),
  });
  return {
    train: standardise(joined.train),
    validation: standardise(joined.validation),
    test: standardise(joined.test),
  };
}
