import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { plantedClusters } from '../../src/data/synthetic.js';
import { holdoutSplit, prepareSplit } from '../../src/data/split.js';
import { seededWeights } from '../../src/engine/start.js';
import { projectedGradients } from '../../src/affinity/proxies/linearised.js';
import { sampledSubsetSurrogate, sampleSubsets } from '../../src/affinity/proxies/surrogate.js';
import { groupScore } from '../../src/affinity/gain.js';
import { agglomerativeClusters } from '../../src/grouping/cluster.js';
import { adjustedRandIndex } from '../../src/grouping/ari.js';
import { mean } from '../../src/affinity/stats.js';
import { testBackend } from '../helpers/backend.js';

before(async () => {
  await testBackend();
});

test('sampled subsets: distinct, of the asked size, every task about equally often; all of them when there are few', () => {
  const subsets = sampleSubsets(20, 5, 40, 0);
  assert.equal(subsets.length, 40);
  assert.equal(new Set(subsets.map((s) => s.join('+'))).size, 40);
  assert.ok(subsets.every((s) => s.length === 5 && s.every((t, k) => k === 0 || t > s[k - 1])));
  const counts = Array.from({ length: 20 }, (_, t) => subsets.filter((s) => s.includes(t)).length);
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 2, `balanced: ${counts}`);
  assert.equal(sampleSubsets(6, 3, 50, 0).length, 20, 'C(6,3) = 20 < 50: every subset');
});

test('linearised estimator: the Kronecker-sketched per-example gradients equal the sketch applied to autodiff gradients', () => {
  const d = 3;
  const T = 2;
  const weights = seededWeights(d, [4, 3], T, 7);
  const x = [0.3, -1.2, 0.8];
  const part = { rows: 1, features: Float32Array.from(x), targets: new Float32Array(T) };
  const sizes = [
    [d + 1, 4],
    [5, 3],
  ];
  const sketches = sizes.map(([inWidth, out], l) => ({
    input: tf.tensor2d(
      Float32Array.from({ length: inWidth * 2 }, (_, k) => Math.sin(k + l + 1)),
      [inWidth, 2],
    ),
    output: tf.tensor2d(
      Float32Array.from({ length: out * 2 }, (_, k) => Math.cos(k + 3 * l)),
      [out, 2],
    ),
  }));
  const features = projectedGradients(part, weights, ['binary', 'binary'], sketches);
  const [w1, b1, w2, b2] = [weights[0].weight, weights[0].bias, weights[1].weight, weights[1].bias].map((v) =>
    tf.tensor(v),
  );
  const head = tf.tensor2d(weights[2].weight, [3, T]);
  for (let t = 0; t < T; t++) {
    const output = (W1: tf.Tensor, B1: tf.Tensor, W2: tf.Tensor, B2: tf.Tensor): tf.Scalar => {
      const h1 = tf.relu(tf.add(tf.matMul(tf.tensor2d([x]), tf.reshape(W1, [d, 4])), B1));
      const h2 = tf.relu(tf.add(tf.matMul(h1, tf.reshape(W2, [4, 3])), B2));
      return tf.sum(tf.matMul(h2, tf.slice(head, [0, t], [3, 1])));
    };
    const grads = tf.grads(output)([w1, b1, w2, b2]);
    // gradient of layer l as [in + 1, out] (bias last), then (A ⊗ B)ᵀ vec(G): feature (a, b) = Σ_in,out A[in, a] G[in, out] B[out, b]
    const expected = [0, 1].flatMap((l) => {
      const G = tf.concat(
        [tf.reshape(grads[2 * l], [sizes[l][0] - 1, sizes[l][1]]), tf.reshape(grads[2 * l + 1], [1, sizes[l][1]])],
        0,
      );
      return Array.from(tf.matMul(tf.matMul(sketches[l].input, G, true, false), sketches[l].output).dataSync());
    });
    const got = Array.from(features[t].gradients);
    assert.equal(got.length, expected.length);
    got.forEach((v, k) =>
      assert.ok(Math.abs(v - expected[k]) < 1e-4, `task ${t} feature ${k}: ${v} vs autodiff ${expected[k]}`),
    );
  }
});

test('sampled-subset surrogate: recovers two planted clusters of 4 tasks and predicts the losses of larger subsets', () => {
  const { dataset, clusterOf } = plantedClusters({
    rows: 400,
    features: 20,
    clusters: 2,
    tasksPerCluster: 4,
    kind: 'regression',
    labelNoise: 2,
    privateShare: 0,
    seed: 3,
  });
  const data = prepareSplit(dataset, holdoutSplit(dataset.rows, 0));
  const estimate = sampledSubsetSurrogate(data, dataset.taskKinds, {
    hidden: [32, 32],
    learningRate: 0.003,
    batchSize: 32,
    epochs: 15,
  });
  assert.equal(estimate.networksTrained, 56, 'every 3-subset of 8 tasks');
  const within: number[] = [];
  const across: number[] = [];
  estimate.matrix.forEach((row, i) =>
    row.forEach((v, j) => i !== j && (clusterOf[i] === clusterOf[j] ? within : across).push(v)),
  );
  assert.ok(mean(within) > 0 && mean(across) < 0, `within ${mean(within)}, across ${mean(across)}`);
  assert.equal(adjustedRandIndex(agglomerativeClusters(groupScore(estimate.matrix), 2), clusterOf), 1);
  const [inCluster, mixed] = [estimate.subsetLoss?.([0, 1, 2, 3]), estimate.subsetLoss?.([0, 4, 5, 6])];
  assert.ok(
    inCluster && mixed && inCluster[0] < mixed[0],
    'task 0 is predicted to do better with its cluster than with the other cluster',
  );
});
