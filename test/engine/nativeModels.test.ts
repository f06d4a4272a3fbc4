import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plantedClusters } from '../../src/data/synthetic.js';
import { holdoutSplit, prepareSplit } from '../../src/data/split.js';
import { selectBackend } from '../../src/engine/backend.js';
import { loadNativeTrainer, NATIVE_THREADS_ENV, NativeFusedNetworks } from '../../src/engine/native.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import { seededWeights } from '../../src/engine/start.js';
import { trainNetworks } from '../../src/engine/train.js';
import { nativeMissing } from '../helpers/backend.js';

// The native trainer keeps a model's helper threads for its life and hands a released model's weight and moment
// buffers to the next model: neither may change a number.

const settings: EngineSettings = { hidden: [40, 33], learningRate: 0.005, batchSize: 32, epochs: 8, patience: 3 };
const ds = plantedClusters({ rows: 200, features: 9, clusters: 2, tasksPerCluster: 2, seed: 4 }).dataset;
const data = prepareSplit(ds, holdoutSplit(ds.rows, 2));
const pairs = [[0], [1], [2], [3], [0, 1], [0, 2], [1, 3], [2, 3]];

/** Trains `groups` on the native trainer with `threads` threads. */
async function trainNative(groups: number[][], seed: number, threads: number) {
  const forced = process.env[NATIVE_THREADS_ENV];
  process.env[NATIVE_THREADS_ENV] = String(threads);
  try {
    await selectBackend('native');
    return trainNetworks(data, ds.taskKinds, groups, settings, seed);
  } finally {
    if (forced === undefined) delete process.env[NATIVE_THREADS_ENV];
    else process.env[NATIVE_THREADS_ENV] = forced;
  }
}

test('a model on reused buffers and on kept threads trains every network as a fresh one-thread model does, bit for bit', {
  skip: nativeMissing(),
}, async () => {
  const first = await trainNative(pairs, 3, 1);
  // a larger model in between leaves larger buffers holding other weights; the next model takes them
  await trainNative([...pairs, [0, 3], [1, 2], [0, 1, 2]], 9, 2);
  const again = await trainNative(pairs, 3, 2);
  assert.ok(new Set(first.map((o) => o.bestEpoch)).size >= 2, 'networks select different epochs');
  assert.deepEqual(again, first);
});

test('a released native model refuses further calls', { skip: nativeMissing() }, () => {
  const d = data.train.features.length / data.train.rows;
  const model = new NativeFusedNetworks({
    data,
    kinds: ds.taskKinds,
    groups: pairs,
    settings,
    start: seededWeights(d, settings.hidden, 2, 1),
  });
  model.validate();
  model.dispose();
  model.dispose(); // twice does nothing
  assert.throws(() => model.validate(), /released/);
});

test('test losses the addon evaluates along with an epoch equal those it evaluates when asked, bit for bit', {
  skip: nativeMissing(),
}, async () => {
  await selectBackend('native');
  const d = data.train.features.length / data.train.rows;
  const setup = { data, kinds: ds.taskKinds, groups: pairs, settings, start: seededWeights(d, settings.hidden, 2, 5) };
  const model = new NativeFusedNetworks(setup);
  const order = (epoch: number) =>
    Int32Array.from({ length: data.train.rows }, (_, r) => (r * 7 + epoch) % data.train.rows);
  const all = pairs.map((_, j) => j);
  const best = pairs.map(() => Infinity);
  let ahead = 0;
  let asked = 0;
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      model.trainEpoch(order(epoch));
      const { totals } = model.validate();
      const improved = all.filter((j) => totals[j] < best[j]);
      for (const j of improved) best[j] = totals[j];
      // the improved networks' test losses were evaluated with the epoch; the others' are evaluated on request
      const fromEpoch = model.test(improved);
      const requested = model.test(all);
      improved.forEach((j, i) =>
        assert.deepEqual(fromEpoch.slice(2 * i, 2 * i + 2), requested.slice(2 * j, 2 * j + 2)),
      );
      ahead += improved.length;
      asked += all.length - improved.length;
    }
  } finally {
    model.dispose();
  }
  assert.ok(ahead > pairs.length && asked > 0, `${ahead} evaluated with their epoch, ${asked} on request`);
});

test("the addon's machine peak reads a CPU's clock, and no more than 64 float32 FLOPs per cycle of it", {
  skip: nativeMissing(),
}, () => {
  const trainer = loadNativeTrainer();
  if (typeof trainer === 'string') throw new Error(trainer);
  // an Intel Xeon (family 6, model 167) folded the old `chain += 1` clock chain: 21 GHz, 8 FLOPs per cycle
  for (const { clockHz, flopsPerSecond } of trainer.machinePeak(1)) {
    assert.ok(clockHz > 0.5e9 && clockHz < 7e9, `clock ${(clockHz / 1e9).toFixed(2)} GHz`);
    assert.ok(flopsPerSecond / clockHz <= 64 * 1.1, `${(flopsPerSecond / clockHz).toFixed(1)} FLOPs per cycle`);
  }
});
