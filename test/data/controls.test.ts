import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plantedClusters } from '../../src/data/synthetic.js';
import { isNullControlName, withNullControls } from '../../src/data/controls.js';
import { pearson } from '../../src/affinity/stats.js';

test('a null control is a row permutation of its real task: same labels and base rate, unrelated rows; the real tasks are untouched', () => {
  const { dataset } = plantedClusters({ rows: 400, features: 5, clusters: 1, tasksPerCluster: 2, seed: 7 });
  const { dataset: withNulls, controlOf } = withNullControls(dataset, 3);
  assert.deepEqual(controlOf, [-1, -1, 0, 1, 0]);
  const [first, second] = dataset.taskNames;
  assert.deepEqual(withNulls.taskNames.slice(2), [`null1:${first}`, `null2:${second}`, `null3:${first}`]);
  assert.ok(
    withNulls.taskNames.slice(2).every(isNullControlName) && !withNulls.taskNames.slice(0, 2).some(isNullControlName),
  );
  const column = (ds: typeof withNulls, t: number): number[] =>
    Array.from({ length: ds.rows }, (_, r) => ds.targets[r * ds.taskNames.length + t]);
  for (let t = 0; t < 2; t++) assert.deepEqual(column(withNulls, t), column(dataset, t), `real task ${t} unchanged`);
  controlOf.forEach((source, t) => {
    if (source < 0) return;
    const original = column(dataset, source);
    const control = column(withNulls, t);
    assert.deepEqual(
      [...control].sort(),
      [...original].sort(),
      `control ${t} holds exactly the labels of task ${source}`,
    );
    assert.ok(
      Math.abs(pearson(control, original)) < 0.15,
      `control ${t} is unrelated to its source row by row (r = ${pearson(control, original)})`,
    );
    assert.equal(withNulls.taskKinds[t], dataset.taskKinds[source]);
  });
  assert.notDeepEqual(column(withNulls, 2), column(withNulls, 4), 'two controls of one task are permuted differently');
});
