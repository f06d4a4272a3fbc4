import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataWarnings, describeDataset, summaryLine } from '../../src/data/describe.js';
import { plantedClusters } from '../../src/data/synthetic.js';

test('the data summary gives positive rates and warns about rare labels', () => {
  const { dataset } = plantedClusters({ rows: 200, clusters: 1, tasksPerCluster: 2, seed: 1 });
  dataset.targets.forEach((_, i) => {
    if (i % 2 === 1) dataset.targets[i] = i < 40 ? 1 : 0; // task 2: 20 positives of 200
  });
  const summary = describeDataset(dataset);
  assert.equal(summary.tasks[1].mean, 0.1);
  assert.equal(summary.tasks[1].max, 1);
  assert.equal(summary.tasks[1].min, 0);
  // the sample standard deviation (n - 1), as the data-frame library gave it: 20 ones and 180 zeros
  assert.ok(Math.abs(summary.tasks[1].sd - Math.sqrt((20 * 0.9 ** 2 + 180 * 0.1 ** 2) / 199)) < 1e-12);
  const warnings = dataWarnings(summary);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /task 'c1_t2' has only 20 positive rows of 200/);
  assert.match(
    summaryLine('x.csv', summary),
    /x\.csv: 200 rows, 20 features, 2 tasks \(binary; positive rates 0\.100–/,
  );
});
