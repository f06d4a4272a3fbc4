import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { plantedClusters } from '../../src/data/synthetic.js';
import { holdoutSplit, prepareSplit } from '../../src/data/split.js';
import type { Dataset } from '../../src/data/dataset.js';
import { FusedNetworks, seededWeights } from '../../src/engine/fused.js';
import { trainNetworks } from '../../src/engine/train.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import { testBackend } from '../helpers/backend.js';

const settings: EngineSettings = { hidden: [16, 12], learningRate: 0.005, batchSize: 32, epochs: 6 };

/** Two binary tasks and one regression task, so both loss paths (and their mix in one network) are exercised. */
function mixedData(): Dataset {
  const binary = plantedClusters({ rows: 160, features: 8, clusters: 1, tasksPerCluster: 2, seed: 3 }).dataset;
  const real = plantedClusters({ rows: 160, features: 8, clusters: 1, tasksPerCluster: 1, kind: 'regression', seed: 3 }).dataset;
  const targets = new Float32Array(160 * 3);
  for (let r = 0; r < 160; r++) targets.set([binary.targets[r * 2], binary.targets[r * 2 + 1], real.targets[r]], r * 3);
  return { ...binary, taskNames: ['a', 'b', 'r'], taskKinds: ['binary', 'binary', 'regression'], targets };
}

before(async () => {
  await testBackend();
});

test('networks trained in one fused batch equal each network trained alone', () => {
  const ds = mixedData();
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 5));
  const groups = [[0], [1], [2], [0, 1], [0, 2], [0, 1, 2]];
  const fused = trainNetworks(data, ds.taskKinds, groups, settings, 5);
  groups.forEach((group, k) => {
    const [alone] = trainNetworks(data, ds.taskKinds, [group], settings, 5);
    assert.equal(alone.bestEpoch, fused[k].bestEpoch, `best epoch of ${group}`);
    alone.testLoss.forEach((loss, s) => assert.ok(Math.abs(loss - fused[k].testLoss[s]) < 1e-4 * Math.max(1, loss), `group ${group} task ${s}: ${loss} vs ${fused[k].testLoss[s]}`));
  });
});

test('networks of one seed differ only through their groups (common random numbers)', () => {
  const ds = mixedData();
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 5));
  const [a, b] = trainNetworks(data, ds.taskKinds, [[0], [0]], settings, 5);
  assert.deepEqual(a.testLoss, b.testLoss);
  const [other] = trainNetworks(data, ds.taskKinds, [[0]], settings, 6);
  assert.notEqual(other.testLoss[0], a.testLoss[0]);
});

test('hand-written gradients equal tfjs autodiff of the same objective', async () => {
  // wasm has no kernels for the depthwise convolution's gradients; the check runs on cpu and then restores the backend.
  const backend = tf.getBackend();
  await tf.setBackend('cpu');
  const ds = mixedData();
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 1));
  const model = new FusedNetworks([[0], [2], [0, 1], [1, 2], [0, 1, 2]], ds.taskKinds, { ...settings, taskWeights: [1, 0.5, 2] }, seededWeights(8, settings.hidden, 3, 1));
  tf.tidy(() => {
    const x = tf.tensor2d(data.train.features.slice(0, 20 * 8), [20, 8]);
    const y = tf.tensor2d(data.train.targets.slice(0, 20 * 3), [20, 3]);
    const manual = model.gradients(x, y);
    const auto = tf.variableGrads(() => tf.sum(model.networkTotals(model.slotLosses(x, y))), model.variables);
    for (const [variable, grad] of manual) {
      const expected = auto.grads[variable.name];
      assert.deepEqual(grad.shape, expected.shape, variable.name);
      const error = tf.max(tf.abs(tf.sub(grad, expected))).dataSync()[0];
      const scale = tf.max(tf.abs(expected)).dataSync()[0];
      assert.ok(error <= 1e-4 * Math.max(scale, 1e-3), `${variable.name}: max error ${error} (scale ${scale})`);
    }
  });
  model.dispose();
  await tf.setBackend(backend);
});

test('model selection reports the test loss of the best validation epoch, not the last', () => {
  const ds = plantedClusters({ rows: 120, features: 30, clusters: 1, tasksPerCluster: 1, labelNoise: 0.3, seed: 2 }).dataset;
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 0));
  const [long] = trainNetworks(data, ds.taskKinds, [[0]], { hidden: [64, 64], learningRate: 0.01, batchSize: 16, epochs: 40 }, 0);
  assert.ok(long.bestEpoch < 40, `a tiny noisy task overfits, so the best epoch (${long.bestEpoch}) comes before the last`);
  assert.ok(long.testLoss[0] < 1.0, `selected test BCE ${long.testLoss[0]} stays far from an overfit network's`);
});

test('a model hands back the weights it was built from', () => {
  const start = seededWeights(5, [7, 6], 2, 4);
  start[start.length - 1].weight[3] = 0.5; // distinct head units survive the round trip too
  const model = new FusedNetworks([[0], [1], [0, 1]], ['binary', 'binary'], settings, start);
  const back = model.singleNetworkWeights();
  back.forEach((layer, l) => {
    assert.deepEqual(Array.from(layer.weight), Array.from(start[l].weight), `layer ${l} weight`);
    assert.deepEqual(Array.from(layer.bias), Array.from(start[l].bias), `layer ${l} bias`);
  });
  model.dispose();
});
