/**
 * The backend contract, checked for every entry of BACKENDS: it loads, or says in one InputError line why not
 * (never a crash); one that loads trains a tiny network to finite losses for every task with a selected epoch in
 * range, the same twice for one seed. Each backend runs in a child process (a backend is chosen once per process).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BACKENDS } from '../../src/engine/backend.js';

const module = (path: string): string => JSON.stringify(new URL(path, import.meta.url).href);

function trainOn(backend: string): { loaded: boolean; error?: string; runs?: unknown[][] } {
  const script = `const { selectBackend } = await import(${module('../../src/engine/backend.js')});
const { trainNetworks } = await import(${module('../../src/engine/train.js')});
const { plantedClusters } = await import(${module('../../src/data/synthetic.js')});
const { holdoutSplit, prepareSplit } = await import(${module('../../src/data/split.js')});
try { await selectBackend(${JSON.stringify(backend)}); } catch (e) {
  console.log(JSON.stringify({ loaded: false, error: e.constructor.name + ': ' + e.message })); process.exit(0);
}
const { dataset } = plantedClusters({ rows: 40, features: 3, clusters: 1, tasksPerCluster: 2, kind: 'regression', seed: 2 });
const data = prepareSplit(dataset, holdoutSplit(dataset.rows, 0));
const settings = { hidden: [4], learningRate: 0.01, batchSize: 8, epochs: 3 };
const run = () => trainNetworks(data, dataset.taskKinds, [[0], [1], [0, 1]], settings, 5)
  .map((o) => [o.group, o.bestEpoch, o.validationLoss, o.testLoss]);
console.log(JSON.stringify({ loaded: true, runs: [run(), run()] }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string);
}

for (const backend of BACKENDS)
  test(`backend ${backend}: loads and trains to finite losses, the same twice, or says why it cannot load`, () => {
    const outcome = trainOn(backend);
    if (!outcome.loaded) {
      assert.match(outcome.error as string, /^InputError: /, 'a backend that cannot load says why, as a user error');
      assert.equal((outcome.error as string).split('\n').length, 1);
      return;
    }
    const [first, second] = outcome.runs as [number[][], number[][]][] as unknown as unknown[][][];
    assert.deepEqual(second, first, 'deterministic for one seed');
    for (const [group, bestEpoch, validation, testLoss] of first as [number[], number, number[], number[]][]) {
      assert.ok(bestEpoch >= 1 && bestEpoch <= 3, `${backend} ${group}: epoch ${bestEpoch}`);
      assert.equal(testLoss.length, group.length);
      assert.ok(
        [...validation, ...testLoss].every((x) => Number.isFinite(x) && x >= 0),
        `${backend} ${group}`,
      );
    }
  });
