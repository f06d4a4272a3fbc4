import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { plantedClusters } from '../../src/data/synthetic.js';
import { holdoutSplit, prepareSplit } from '../../src/data/split.js';
import type { Dataset } from '../../src/data/dataset.js';
import { FusedNetworks, LAYOUT_ENV, layoutFor, type Layout } from '../../src/engine/fused.js';
import { seededWeights, type LayerWeights } from '../../src/engine/start.js';
import { trainNetworks, type EpochLosses } from '../../src/engine/train.js';
import { Adam } from '../../src/engine/adam.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import { nativeMissing, testBackend } from '../helpers/backend.js';
import { activeBackend, selectBackend, type BackendName } from '../../src/engine/backend.js';

const settings: EngineSettings = { hidden: [16, 12], learningRate: 0.005, batchSize: 32, epochs: 6 };

/** Two binary tasks and one regression task, so both loss paths (and their mix in one network) are exercised. */
function mixedData(): Dataset {
  const binary = plantedClusters({ rows: 160, features: 8, clusters: 1, tasksPerCluster: 2, seed: 3 }).dataset;
  const real = plantedClusters({
    rows: 160,
    features: 8,
    clusters: 1,
    tasksPerCluster: 1,
    kind: 'regression',
    seed: 3,
  }).dataset;
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
    alone.testLoss.forEach((loss, s) =>
      assert.ok(
        Math.abs(loss - fused[k].testLoss[s]) < 1e-4 * Math.max(1, loss),
        `group ${group} task ${s}: ${loss} vs ${fused[k].testLoss[s]}`,
      ),
    );
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

const LAYOUTS: Layout[] = ['depthwise', 'matmul'];

/** Compares a model's hand-written gradients with tfjs autodiff of the same objective on the active backend. */
function checkGradients(layout: Layout): void {
  const ds = mixedData();
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 1));
  const model = new FusedNetworks(
    [[0], [2], [0, 1], [1, 2], [0, 1, 2]],
    ds.taskKinds,
    { ...settings, taskWeights: [1, 0.5, 2] },
    seededWeights(8, settings.hidden, 3, 1),
    undefined,
    layout,
  );
  tf.tidy(() => {
    const x = tf.tensor2d(data.train.features.slice(0, 20 * 8), [20, 8]);
    const y = tf.tensor2d(data.train.targets.slice(0, 20 * 3), [20, 3]);
    const manual = model.gradients(x, y);
    const auto = tf.variableGrads(() => tf.sum(model.networkTotals(model.slotLosses(x, y))), model.variables);
    for (const [variable, grad] of manual) {
      const expected = auto.grads[variable.name];
      assert.deepEqual(grad.shape, expected.shape, `${layout} ${variable.name}`);
      const error = tf.max(tf.abs(tf.sub(grad, expected))).dataSync()[0];
      const scale = tf.max(tf.abs(expected)).dataSync()[0];
      assert.ok(
        error <= 1e-4 * Math.max(scale, 1e-3),
        `${tf.getBackend()} ${layout} ${variable.name}: max error ${error} (scale ${scale})`,
      );
    }
  });
  model.dispose();
}

test('hand-written gradients equal tfjs autodiff of the same objective, in both layouts', async () => {
  // wasm has no kernels for the depthwise convolution's gradients: the check runs on cpu, then restores the backend.
  const backend = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    for (const layout of LAYOUTS) checkGradients(layout);
  } finally {
    await tf.setBackend(backend);
  }
  // The native backend has every gradient kernel: check its own layout's gradients with its own kernels too.
  if (backend === 'tensorflow') checkGradients(layoutFor(backend));
});

test('the tensorflow backend gets the batched-matMul layout, wasm and cpu the depthwise one', () => {
  assert.equal(layoutFor('tensorflow'), 'matmul');
  assert.equal(layoutFor('wasm'), 'depthwise');
  assert.equal(layoutFor('cpu'), 'depthwise');
  const model = new FusedNetworks([[0]], ['binary'], settings, seededWeights(3, settings.hidden, 1, 0));
  assert.equal(model.layout, process.env[LAYOUT_ENV] || layoutFor(tf.getBackend()));
  model.dispose();
});

test('both layouts compute the same losses, gradients and gradient rows', () => {
  const ds = mixedData();
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 2));
  const groups = [[0], [1], [2], [0, 1], [0, 2], [1, 2]];
  const start = seededWeights(8, settings.hidden, 2, 3);
  const [depthwise, matmul] = LAYOUTS.map(
    (layout) => new FusedNetworks(groups, ds.taskKinds, settings, start, undefined, layout),
  );
  tf.tidy(() => {
    const x = tf.tensor2d(data.train.features.slice(0, 24 * 8), [24, 8]);
    const y = tf.tensor2d(data.train.targets.slice(0, 24 * 3), [24, 3]);
    const close = (a: tf.Tensor, b: tf.Tensor, what: string): void => {
      const error = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      const scale = tf.max(tf.abs(a)).dataSync()[0];
      assert.ok(error <= 1e-5 * Math.max(scale, 1e-2), `${what}: max difference ${error} (scale ${scale})`);
    };
    close(depthwise.slotLosses(x, y), matmul.slotLosses(x, y), 'slot losses');
    const [a, b] = [depthwise.gradients(x, y), matmul.gradients(x, y)];
    close(depthwise.trunkGradientRows(a), matmul.trunkGradientRows(b), 'trunk gradient rows');
    // The heads' gradients: depthwise filter [1, in, K, out] against matmul [K, in, out]; biases are network-major in both.
    const [headWeight, headBias] = depthwise.variables.slice(-2);
    const [inWidth, K, out] = headWeight.shape.slice(1);
    close(
      tf.transpose(tf.reshape(a.get(headWeight) as tf.Tensor, [inWidth, K, out]), [1, 0, 2]),
      b.get(matmul.variables.at(-2) as tf.Variable) as tf.Tensor,
      'head weight gradient',
    );
    close(
      tf.reshape(a.get(headBias) as tf.Tensor, [-1]),
      tf.reshape(b.get(matmul.variables.at(-1) as tf.Variable) as tf.Tensor, [-1]),
      'head bias gradient',
    );
  });
  depthwise.dispose();
  matmul.dispose();
});

/** Runs `train` with trainNetworks building its models in `layout` (it takes the default layout). */
function inLayout<T>(layout: Layout, train: () => T): T {
  const before = process.env[LAYOUT_ENV];
  process.env[LAYOUT_ENV] = layout;
  try {
    return train();
  } finally {
    if (before === undefined) delete process.env[LAYOUT_ENV];
    else process.env[LAYOUT_ENV] = before;
  }
}

test('a network trained in either layout reaches the same losses', () => {
  const ds = mixedData();
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 4));
  const groups = [[0], [2], [0, 1], [0, 1, 2]];
  const trained = LAYOUTS.map((layout) =>
    inLayout(layout, () => trainNetworks(data, ds.taskKinds, groups, settings, 4)),
  );
  groups.forEach((group, k) => {
    assert.equal(trained[0][k].bestEpoch, trained[1][k].bestEpoch, `best epoch of ${group}`);
    trained[0][k].testLoss.forEach((loss, s) =>
      assert.ok(
        Math.abs(loss - trained[1][k].testLoss[s]) < 1e-4 * Math.max(1, loss),
        `group ${group} task ${s}: ${loss} vs ${trained[1][k].testLoss[s]}`,
      ),
    );
  });
});

test('the weights read back for each network from the fused variables, in both layouts, are the ones it trains with', () => {
  const ds = mixedData();
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 3));
  const groups = [
    [0, 1],
    [2, 0],
    [1, 2],
    [0, 2],
  ]; // one size: a network's weights include all the model's head slots
  const x = tf.tensor2d(data.train.features.slice(0, 24 * 8), [24, 8]);
  const y = tf.tensor2d(data.train.targets.slice(0, 24 * 3), [24, 3]);
  const byLayout = LAYOUTS.map((layout) => {
    const model = new FusedNetworks(
      groups,
      ds.taskKinds,
      settings,
      seededWeights(8, settings.hidden, 2, 3),
      undefined,
      layout,
    );
    const optimizer = tf.train.adam(0.05);
    for (let step = 0; step < 3; step++)
      tf.tidy(() =>
        optimizer.applyGradients(
          [...model.gradients(x, y)].map(([variable, tensor]) => ({ name: variable.name, tensor })),
        ),
      );
    const values = model.variables.map((v) => v.dataSync() as Float32Array);
    const fused = tf.tidy(() => model.slotLosses(x, y)).arraySync();
    const weights = groups.map((group, k) => {
      const alone = new FusedNetworks(
        [group],
        ds.taskKinds,
        settings,
        model.networkWeights(values, k),
        undefined,
        layout,
      );
      const losses = tf.tidy(() => alone.slotLosses(x, y)).arraySync()[0];
      group.forEach((_, s) =>
        assert.ok(
          Math.abs(losses[s] - fused[k][s]) < 1e-5,
          `${layout} network ${group} slot ${s}: ${losses[s]} vs ${fused[k][s]}`,
        ),
      );
      alone.dispose();
      return model.networkWeights(values, k);
    });
    model.dispose();
    optimizer.dispose();
    return weights;
  });
  byLayout[0].forEach((layers, k) =>
    layers.forEach((layer, l) => {
      const other = byLayout[1][k][l];
      layer.weight.forEach((w, i) =>
        assert.ok(Math.abs(w - other.weight[i]) < 1e-5, `network ${k} layer ${l} weight ${i}`),
      );
      layer.bias.forEach((b, i) => assert.ok(Math.abs(b - other.bias[i]) < 1e-5, `network ${k} layer ${l} bias ${i}`));
    }),
  );
  tf.dispose([x, y]);
});

test('model selection reports the test loss of the best validation epoch, not the last', () => {
  const ds = plantedClusters({
    rows: 120,
    features: 30,
    clusters: 1,
    tasksPerCluster: 1,
    labelNoise: 0.3,
    seed: 2,
  }).dataset;
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 0));
  const [long] = trainNetworks(
    data,
    ds.taskKinds,
    [[0]],
    { hidden: [64, 64], learningRate: 0.01, batchSize: 16, epochs: 40 },
    0,
  );
  assert.ok(
    long.bestEpoch < 40,
    `a tiny noisy task overfits, so the best epoch (${long.bestEpoch}) comes before the last`,
  );
  assert.ok(long.testLoss[0] < 1.0, `selected test BCE ${long.testLoss[0]} stays far from an overfit network's`);
});

test('a model hands back the weights it was built from, in both layouts', () => {
  const start = seededWeights(5, [7, 6], 2, 4);
  start[start.length - 1].weight[3] = 0.5; // distinct head units survive the round trip too
  for (const layout of LAYOUTS) {
    const model = new FusedNetworks([[0], [1], [0, 1]], ['binary', 'binary'], settings, start, undefined, layout);
    const back = model.singleNetworkWeights();
    back.forEach((layer, l) => {
      assert.deepEqual(Array.from(layer.weight), Array.from(start[l].weight), `${layout} layer ${l} weight`);
      assert.deepEqual(Array.from(layer.bias), Array.from(start[l].bias), `${layout} layer ${l} bias`);
    });
    model.dispose();
  }
});

/** The epoch at which patience stops a network, read off its full run: `patience` epochs after its last improvement. */
function stopEpoch(byEpoch: EpochLosses[], patience: number): number {
  let last = 1;
  for (let e = 2; e <= byEpoch.length; e++) {
    if (byEpoch[e - 1].validation.some((v, s) => v !== byEpoch[e - 2].validation[s])) last = e;
    if (e - last >= patience) return e;
  }
  return byEpoch.length;
}

test('with patience each network stops where its own full run says, and the networks still training are unchanged, in both layouts', () => {
  const ds = mixedData();
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 2));
  const groups = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
  const long: EngineSettings = { ...settings, epochs: 30 };
  for (const layout of LAYOUTS) {
    const full = inLayout(layout, () => trainNetworks(data, ds.taskKinds, groups, long, 5));
    let networkEpochs = 0;
    const patient = inLayout(layout, () =>
      trainNetworks(data, ds.taskKinds, groups, { ...long, patience: 3 }, 5, (_e, _n, done) => (networkEpochs += done)),
    );
    const stops = full.map((outcome) => stopEpoch(outcome.byEpoch, 3));
    assert.ok(
      new Set(stops).size >= 3 && Math.min(...stops) < 30,
      `networks stop at different epochs (${stops}), so the model shrinks several times`,
    );
    assert.equal(networkEpochs, groups.length * 30, 'progress counts the skipped epochs of stopped networks as done');
    groups.forEach((group, k) => {
      const expected = full[k].byEpoch[stops[k] - 1];
      assert.equal(
        patient[k].byEpoch.length,
        30,
        `${layout} ${group}: a stopped network's later epochs repeat its selection`,
      );
      patient[k].testLoss.forEach((loss, s) =>
        assert.ok(
          Math.abs(loss - expected.test[s]) < 1e-5 * Math.max(1, loss),
          `${layout} group ${group} (stops at ${stops[k]}) task ${s}: ${loss} vs ${expected.test[s]}`,
        ),
      );
    });
  }
});

test("the engine's Adam follows tf.train.adam", () => {
  const shapes = [[5, 7], [7], [3, 4, 2]];
  const initial = shapes.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', i + 1));
  const run = (step: (variables: tf.Variable[], gradients: tf.Tensor[]) => void): Float32Array[] => {
    const variables = initial.map((t) => tf.variable(t.clone()));
    for (let i = 0; i < 25; i++)
      tf.tidy(() =>
        step(
          variables,
          variables.map((v, j) => tf.add(tf.mul(v, 0.3 + j), tf.randomNormal(v.shape, 0, 0.1, 'float32', 100 + i))),
        ),
      );
    const values = variables.map((v) => v.dataSync() as Float32Array);
    tf.dispose(variables);
    return values;
  };
  const reference = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
  const expected = run((variables, gradients) =>
    reference.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: gradients[i] }))),
  );
  let adam: Adam | undefined;
  const actual = run((variables, gradients) => {
    adam ??= new Adam(variables, 0.01);
    return adam.step(variables, gradients);
  });
  expected.forEach((values, i) =>
    values.forEach((v, j) =>
      assert.ok(Math.abs(v - actual[i][j]) < 1e-5, `variable ${i}[${j}]: ${actual[i][j]} vs ${v}`),
    ),
  );
  assert.ok(
    expected[0].some((v, j) => Math.abs(v - initial[0].dataSync()[j]) > 0.05),
    'the steps moved the weights',
  );
  reference.dispose();
  adam?.dispose();
  tf.dispose(initial);
});

test("the native trainer reaches the tfjs trainer's selections, losses, early stops and best weights", {
  skip: nativeMissing(),
}, async () => {
  const ds = mixedData();
  const data = prepareSplit(ds, holdoutSplit(ds.rows, 6));
  const groups = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
  // widths 40 and 33 reach every column path of the native kernels (32-wide, 8-wide, single columns; heads of 1-3 slots)
  const patient: EngineSettings = { ...settings, hidden: [40, 33], epochs: 25, patience: 3, taskWeights: [1, 0.5, 2] };
  const before = activeBackend();
  const trainOn = async (backend: BackendName) => {
    await selectBackend(backend);
    return trainNetworks(data, ds.taskKinds, groups, patient, 7, undefined, undefined, { keepBestWeights: true });
  };
  try {
    const [tfjs, native] = [await trainOn(before === 'native' ? 'wasm' : before), await trainOn('native')];
    assert.ok(
      new Set(tfjs.map((o) => o.bestEpoch)).size >= 3,
      `networks select different epochs (${tfjs.map((o) => o.bestEpoch)})`,
    );
    groups.forEach((group, k) => {
      assert.equal(native[k].bestEpoch, tfjs[k].bestEpoch, `best epoch of ${group}`);
      const close = (a: number, b: number, what: string): void =>
        assert.ok(Math.abs(a - b) < 1e-4 * Math.max(1, Math.abs(b)), `${group} ${what}: native ${a} vs tfjs ${b}`);
      native[k].testLoss.forEach((loss, s) => close(loss, tfjs[k].testLoss[s], `test loss ${s}`));
      native[k].validationLoss.forEach((loss, s) => close(loss, tfjs[k].validationLoss[s], `validation loss ${s}`));
      native[k].byEpoch.forEach((e, i) =>
        e.test.forEach((loss, s) => close(loss, tfjs[k].byEpoch[i].test[s], `epoch ${i + 1} test loss ${s}`)),
      );
      native[k].bestWeights?.forEach((layer, l) =>
        layer.weight.forEach((w, i) =>
          close(w, (tfjs[k].bestWeights as LayerWeights[])[l].weight[i], `layer ${l} weight ${i}`),
        ),
      );
    });
  } finally {
    await selectBackend(before);
  }
});
