import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { plantedClusters } from '../../src/data/synthetic.js';
import { holdoutSplit, prepareSplit } from '../../src/data/split.js';
import { FusedNetworks } from '../../src/engine/fused.js';
import { seededWeights } from '../../src/engine/start.js';
import { oneRunProxies, probe } from '../../src/affinity/proxies/lookahead.js';
import { trainNetworks } from '../../src/engine/train.js';
import { Adam } from '../../src/engine/adam.js';
import { labelCorrelation, labelMutualInformation } from '../../src/affinity/proxies/labels.js';
import { agreement } from '../../src/affinity/proxies/agreement.js';
import { kendall, mean } from '../../src/affinity/stats.js';
import type { Matrix } from '../../src/affinity/gain.js';
import { testBackend } from '../helpers/backend.js';
import { SMALL_ENGINE } from '../helpers/sweep.js';

before(async () => {
  await testBackend();
});

test('the lookahead probe matches a finite-difference computation on a tiny model', async () => {
  const backend = tf.getBackend();
  await tf.setBackend('cpu');
  const { dataset } = plantedClusters({
    rows: 40,
    features: 3,
    clusters: 1,
    tasksPerCluster: 3,
    kind: 'regression',
    seed: 5,
  });
  const settings = { hidden: [4], learningRate: 0.1, batchSize: 8, epochs: 1 };
  const kinds = dataset.taskKinds;
  const model = new FusedNetworks([[0, 1, 2]], kinds, settings, seededWeights(3, [4], 3, 2));
  const x = tf.tensor2d(dataset.features.slice(0, 8 * 3), [8, 3]);
  const y = tf.tensor2d(dataset.targets.slice(0, 8 * 3), [8, 3]);
  const rate = 0.1;
  const probed = probe(model, kinds, settings, x, y, { kind: 'sgd', rate });
  const losses = (m: FusedNetworks): number[] => Array.from(tf.tidy(() => m.slotLosses(x, y)).dataSync());
  const base = losses(model);
  for (let j = 0; j < 3; j++) {
    // Finite-difference gradient of task j's loss over every shared parameter, then one SGD step by hand.
    const copy = new FusedNetworks([[0, 1, 2]], kinds, settings, model.singleNetworkWeights());
    const steps = copy.trunkVariables.map((v) => {
      const values = Float32Array.from(v.dataSync());
      return values.map((value, k) => {
        const at = (delta: number): number => {
          const shifted = Float32Array.from(values);
          shifted[k] = value + delta;
          v.assign(tf.tensor(shifted, v.shape));
          return losses(copy)[j];
        };
        const slope = (at(1e-2) - at(-1e-2)) / 2e-2;
        v.assign(tf.tensor(values, v.shape));
        return value - rate * slope;
      });
    });
    copy.trunkVariables.forEach((v, k) => v.assign(tf.tensor(steps[k], v.shape)));
    const after = losses(copy);
    for (let i = 0; i < 3; i++) {
      if (i === j) continue;
      const expected = (1 - after[i] / base[i]) / settings.learningRate; // TAG's code divides by the learning rate
      assert.ok(
        Math.abs(probed.lookahead[i][j] - expected) < 2e-2,
        `lookahead[${i}][${j}] ${probed.lookahead[i][j]} vs finite difference ${expected}`,
      );
    }
    copy.dispose();
  }
  model.dispose();
  await tf.setBackend(backend);
});

test("TAG probes at theta_t, before the update: at step 0 the probed weights are the seed's initial weights", () => {
  const { dataset } = plantedClusters({
    rows: 60,
    features: 4,
    clusters: 1,
    tasksPerCluster: 2,
    kind: 'regression',
    seed: 1,
  });
  const data = prepareSplit(dataset, holdoutSplit(dataset.rows, 0));
  const settings = { hidden: [5], learningRate: 0.05, batchSize: 16, epochs: 1 };
  const initial = seededWeights(4, [5], 2, 3);
  const seen: Float32Array[][] = [];
  trainNetworks(data, dataset.taskKinds, [[0, 1]], settings, 3, undefined, (model, _x, _y, step) => {
    if (step <= 1) seen.push(model.singleNetworkWeights().map((layer) => layer.weight));
  });
  assert.deepEqual(
    seen[0],
    initial.map((layer) => layer.weight),
    'step 0 sees theta_0',
  );
  assert.notDeepEqual(seen[1], seen[0], 'step 1 sees the weights after the first update');
});

test('the Adam lookahead is exactly the update the optimizer then takes', () => {
  const variable = tf.variable(tf.tensor1d([0.5, -1, 2]));
  const optimizer = new Adam([variable], 0.01);
  optimizer.step([variable], [tf.tensor1d([0.3, -0.2, 0.1])]);
  const gradient = tf.tensor1d([1, 0.5, -2]);
  const [preview] = optimizer.nextUpdate([gradient], (m) => m);
  const expected = tf.sub(variable, preview).dataSync();
  optimizer.step([variable], [gradient]);
  Array.from(variable.dataSync()).forEach((v, k) =>
    assert.ok(Math.abs(v - expected[k]) < 1e-7, `weight ${k}: ${v} vs ${expected[k]}`),
  );
  assert.ok(
    Math.abs(preview.dataSync()[0]) > 1e-3,
    'an Adam step is about the learning rate per weight, not lr * gradient',
  );
  optimizer.dispose();
});

test('planted clusters: every proxy ranks within-cluster pairs above across-cluster pairs', () => {
  const { dataset, clusterOf } = plantedClusters({
    rows: 300,
    features: 30,
    clusters: 3,
    tasksPerCluster: 2,
    kind: 'binary',
    labelNoise: 0.05,
    privateShare: 0,
    seed: 2,
  });
  const data = prepareSplit(dataset, holdoutSplit(dataset.rows, 0));
  const proxies = oneRunProxies(data, dataset.taskKinds, SMALL_ENGINE, 0, 5, 'adam');
  assert.ok(proxies.probes > 20);
  const split = (m: Matrix) => {
    const within: number[] = [];
    const across: number[] = [];
    clusterOf.forEach((ci, i) => clusterOf.forEach((cj, j) => i !== j && (ci === cj ? within : across).push(m[i][j])));
    return { within: mean(within), across: mean(across) };
  };
  for (const [name, m] of Object.entries({
    lookahead: proxies.lookahead,
    gradientCosine: proxies.gradientCosine,
    labelCorrelation: labelCorrelation(dataset),
    labelMutualInformation: labelMutualInformation(dataset),
  })) {
    const { within, across } = split(m);
    assert.ok(within > across, `${name}: within ${within} vs across ${across}`);
  }
});

test('probes after the epoch model selection keeps are dropped: the estimate equals a run that stops there', () => {
  // Noisy labels on few rows overfit early, so the selected epoch is well before the last.
  const { dataset } = plantedClusters({
    rows: 150,
    features: 30,
    clusters: 1,
    tasksPerCluster: 2,
    labelNoise: 0.3,
    seed: 2,
  });
  const data = prepareSplit(dataset, holdoutSplit(dataset.rows, 0));
  const settings = { hidden: [16], learningRate: 0.01, batchSize: 30, epochs: 25 };
  const every = 2;
  const full = oneRunProxies(data, dataset.taskKinds, settings, 0, every, 'adam');
  assert.ok(full.bestEpoch < settings.epochs, `selected epoch ${full.bestEpoch} of ${settings.epochs}`);
  const steps = full.bestEpoch * Math.ceil(data.train.rows / settings.batchSize);
  assert.equal(full.probes, Math.ceil(steps / every), 'the probes at steps 0, 2, 4, ... of the selected epochs');
  const stopped = oneRunProxies(data, dataset.taskKinds, { ...settings, epochs: full.bestEpoch }, 0, every, 'adam');
  assert.equal(stopped.probes, full.probes);
  full.lookahead.forEach((row, i) =>
    row.forEach((v, j) =>
      assert.ok(
        Math.abs(v - stopped.lookahead[i][j]) < 1e-9,
        `lookahead[${i}][${j}] ${v} vs ${stopped.lookahead[i][j]}`,
      ),
    ),
  );
});

test('Kendall tau and agreement', () => {
  assert.equal(kendall([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(kendall([1, 2, 3], [3, 2, 1]), -1);
  assert.equal(kendall([1, 1, 2], [1, 1, 3]), 1, 'a joint tie leaves both denominators');
  // tau-b of [1, 1, 2, 3] and [1, 2, 2, 3] by the textbook formula: C = 4, D = 0, n0 = 6, n1 = n2 = 1: 4 / 5
  assert.ok(Math.abs(kendall([1, 1, 2, 3], [1, 2, 2, 3]) - 0.8) < 1e-12);
  const truth = [
    [0, 1, 2],
    [3, 0, 4],
    [5, 6, 0],
  ];
  const a = agreement(
    'x',
    truth.map((row) => row.map((v) => v * 2)),
    truth,
  );
  assert.equal(a.points.length, 6);
  assert.equal(a.spearman, 1);
});
