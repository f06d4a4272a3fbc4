import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { inferCells } from '../../src/affinity/inference.js';
import { nullControlReport } from '../../src/affinity/nullControls.js';
import { replicatesFromRecords } from '../../src/affinity/gain.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { withNullControls } from '../../src/data/controls.js';
import { replicationsOf } from '../../src/sweep/plan.js';
import type { SplitScheme } from '../../src/data/split.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir } from '../helpers/files.js';
import { SMALL_ENGINE, sweepAndEstimate } from '../helpers/sweep.js';
import { join } from 'node:path';

const crossFit: SplitScheme = { kind: 'kfold', folds: 3 };

before(async () => {
  await testBackend();
});

test('planted clusters, cross-fitted: within-cluster cells help, null-control cells show no evidence, the null bias is reported', async () => {
  const { dataset: base, clusterOf } = plantedClusters({
    rows: 300,
    features: 60,
    clusters: 2,
    tasksPerCluster: 2,
    kind: 'regression',
    labelNoise: 1,
    privateShare: 0,
    seed: 3,
  });
  const { dataset, controlOf } = withNullControls(base, 1);
  const seeds = [0, 1, 2, 3, 4];
  const { estimate, sweep } = await sweepAndEstimate(
    dataset,
    seeds,
    SMALL_ENGINE,
    join(tempDir(), 'journal.jsonl'),
    2,
    crossFit,
  );
  const replicates = replicatesFromRecords(
    sweep.journal.records,
    dataset.taskNames.length,
    replicationsOf(crossFit, seeds).map((r) => r.key),
  );
  assert.equal(replicates.length, 15, '5 seeds x 3 folds');
  assert.match(inferCells(replicates, 0.05).method, /over 5 seeds \(15 replications/, 'the seed is the unit');
  const inference = inferCells(replicates, 0.05, controlOf);
  const nullTask = dataset.taskNames.length - 1;
  clusterOf.forEach((ci, i) =>
    clusterOf.forEach((cj, j) => {
      if (i !== j && ci === cj)
        assert.equal(inference.verdict[i][j], 'helps', `${dataset.taskNames[j]} helps ${dataset.taskNames[i]}`);
    }),
  );
  clusterOf.forEach((_, i) =>
    assert.equal(inference.verdict[i][nullTask], 'no evidence', `null partner of ${dataset.taskNames[i]}`),
  );
  const report = nullControlReport(estimate, inference, controlOf);
  assert.equal(report.cells, 4);
  assert.ok(
    report.bias.high < 0,
    `a null partner costs a shared network something here: ${JSON.stringify(report.bias)}`,
  );
});

test('with every task a null task, verdicts stay within the false-discovery rate', async () => {
  let verdicts = 0;
  let cells = 0;
  for (const seed of [1, 2]) {
    const { dataset } = plantedClusters({ rows: 200, features: 10, clusters: 0, noiseTasks: 4, seed });
    const seeds = [0, 1, 2];
    const { sweep } = await sweepAndEstimate(
      dataset,
      seeds,
      { ...SMALL_ENGINE, epochs: 15 },
      join(tempDir(), 'journal.jsonl'),
      2,
      crossFit,
    );
    const inference = inferCells(
      replicatesFromRecords(
        sweep.journal.records,
        4,
        replicationsOf(crossFit, seeds).map((r) => r.key),
      ),
      0.05,
    );
    verdicts += inference.counts.helps + inference.counts.hurts;
    cells += 12;
  }
  assert.ok(verdicts / cells <= 0.05, `${verdicts} verdicts in ${cells} null cells`);
});
