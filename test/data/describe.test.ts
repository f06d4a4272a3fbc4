import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataWarnings, describeDataset, summaryLine } from '../../src/data/describe.js';
import { plantedClusters } from '../../src/data/synthetic.js';

test('the data summary gives positive rates and warns about rare labels', async () => {
  const { dataset } = plantedClusters({ rows: 200, clusters: 1, tasksPerCluster: 2, seed: 1 });
  dataset.targets.forEach((_, i) => {
    if (i % 2 === 1) dataset.targets[i] = i < 40 ? 1 : 0; // task 2: 20 positives of 200
  });
  const summary = await describeDataset(dataset);
  assert.equal(summary.tasks[1].mean, 0.1);
  assert.equal(summary.tasks[1].max, 1);
  const warnings = dataWarnings(summary);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /task 'c1_t2' has only 20 positive rows of 200/);
  assert.match(
    summaryLine('x.csv', summary),
    /x\.csv: 200 rows, 20 features, 2 tasks \(binary; positive rates 0\.100–/,
  );
});
