import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { plantedClusters } from '../../src/data/synthetic.js';
import { mean } from '../../src/affinity/stats.js';
import { testBackend } from '../helpers/backend.js';
import { sweepAndEstimate } from '../helpers/sweep.js';

before(async () => {
  await testBackend();
});

test('planted clusters: within-cluster gains exceed across-cluster gains, and the noise task hurts', async () => {
  const { dataset, clusterOf } = plantedClusters({
    rows: 300,
    features: 30,
    clusters: 3,
    tasksPerCluster: 2,
    noiseTasks: 1,
    kind: 'regression',
    labelNoise: 1,
    privateShare: 0,
    seed: 2,
  });
  const { estimate } = await sweepAndEstimate(dataset, [0, 1, 2]);
  const within: number[] = [];
  const across: number[] = [];
  const fromNoise: number[] = [];
  clusterOf.forEach((ci, i) =>
    clusterOf.forEach((cj, j) => {
      if (i === j || ci < 0) return;
      (cj < 0 ? fromNoise : ci === cj ? within : across).push(estimate.mean[i][j]);
    }),
  );
  assert.ok(mean(within) > mean(across) + 0.03, `within ${mean(within)} vs across ${mean(across)}`);
  assert.ok(Math.min(...within) > mean(across), `every within-cluster pair beats the across-cluster average`);
  assert.ok(mean(fromNoise) < -0.05, `a dominating noise task hurts: ${mean(fromNoise)}`);
  assert.ok(
    fromNoise.every((g) => g < 0),
    `every real task is hurt by the noise task: ${fromNoise}`,
  );
});
