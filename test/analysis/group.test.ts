import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runGroupAnalysis as runGroupAnalysisOnly } from '../../src/analysis/group.js';
import { completeSpec } from '../../src/analysis/spec.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { adjustedRandIndex } from '../../src/grouping/ari.js';
import { readJournal } from '../../src/sweep/journal.js';
import { testBackend } from '../helpers/backend.js';
import { datasetCsv, tempDir } from '../helpers/files.js';
import { SMALL_ENGINE } from '../helpers/sweep.js';
import { written } from '../helpers/written.js';

const runGroupAnalysis = written(runGroupAnalysisOnly);

before(async () => {
  await testBackend();
});

test('tra group on planted clusters: recovers them, ranks same-cluster auxiliaries first, and the closed loop confirms the choice', async () => {
  const { dataset, clusterOf } = plantedClusters({
    rows: 400,
    features: 30,
    clusters: 2,
    tasksPerCluster: 3,
    kind: 'regression',
    labelNoise: 0.5,
    privateShare: 0,
    seed: 2,
  });
  const dir = tempDir();
  const data = join(dir, 'planted.csv');
  writeFileSync(data, datasetCsv(dataset));
  const spec = completeSpec(
    {
      name: 'planted',
      data,
      tasks: 'last:6',
      seeds: 3,
      split: { kind: 'holdout' },
      engine: { ...SMALL_ENGINE, epochs: 30 },
      out: join(dir, 'out'),
      workers: 1,
      backend: process.env.TRA_BACKEND || undefined,
    },
    'test',
  );
  const result = await runGroupAnalysis(spec, {
    method: 'auto',
    trainHigherOrder: true,
    main: dataset.taskNames[0],
    auxiliaryTop: 2,
    validate: true,
    validateSeeds: 2,
    randomDraws: 3,
    bootstrap: 10,
    earlyFractions: [0.5],
  });
  const atTwo = result.curve.find((p) => p.budget === 2);
  assert.ok(
    atTwo && adjustedRandIndex(atTwo.selection.assignment, clusterOf) >= 0.95,
    `selection at B = 2: ${JSON.stringify(atTwo?.selection.groups)}`,
  );
  const louvain = result.clustering.find((c) => c.method === 'louvain');
  assert.ok(louvain && louvain.budget === 2, `Louvain found ${JSON.stringify(louvain?.groups)}`);
  // the planted clusters were approximated from pairs, then trained on request: the error is measured, not assumed
  assert.ok(
    result.trainedGroups.length > 0 &&
      result.approximation !== undefined &&
      Number.isFinite(result.approximation.meanRelError),
  );

  const auxiliary = result.auxiliary;
  assert.ok(auxiliary);
  const firstTwo = auxiliary.ranking.slice(0, 2).map((r) => clusterOf[r.task]);
  assert.deepEqual(
    firstTwo,
    [clusterOf[0], clusterOf[0]],
    `ranking: ${auxiliary.ranking.map((r) => `${r.task}:${r.mean.toFixed(3)}`).join(' ')}`,
  );
  assert.ok(auxiliary.top && auxiliary.top.gain.mean > 0);

  assert.ok(result.earlyStopping?.length === 1 && result.earlyStopping[0].epochs === 15);
  // with patience 8 the full sweep trains each network until 8 epochs after its best: 15 epochs cost at least half
  const trained = [...readJournal(join(spec.out, 'journal.jsonl')).records.values()].map((r) =>
    Math.min(30, r.bestEpoch + 8),
  );
  const share = trained.reduce((sum, t) => sum + Math.min(15, t), 0) / trained.reduce((sum, t) => sum + t, 0);
  assert.ok(
    Math.abs(result.earlyStopping[0].costShare - share) < 1e-12 && share > 0.5,
    `cost share ${result.earlyStopping[0].costShare} vs ${share}`,
  );
  const loop = result.closedLoop;
  assert.ok(loop && loop.actual.n === 2);
  const alone = loop.baselines.find((b) => b.name === 'every task alone');
  assert.ok(
    alone && alone.selectedMinusBaseline.mean < 0,
    `the chosen grouping should beat separate networks on fresh seeds: ${JSON.stringify(alone?.selectedMinusBaseline)}`,
  );

  const grouping = JSON.parse(readFileSync(join(spec.out, 'grouping.json'), 'utf8'));
  const affinity = JSON.parse(readFileSync(join(spec.out, 'affinity.json'), 'utf8'));
  assert.equal(
    grouping.provenance.configHash,
    affinity.provenance.configHash,
    'grouping.json names the sweep configuration it was chosen from',
  );
  assert.equal(grouping.provenance.data.sha256, affinity.provenance.data.sha256);
  assert.equal(grouping.chosenBudget.budget, result.choice.budget);
  assert.equal(grouping.curve.length, 6);
  assert.ok(existsSync(join(spec.out, 'auxiliary.json')) && existsSync(join(spec.out, 'grouping-graph.json')));
  assert.match(readFileSync(join(spec.out, 'index.html'), 'utf8'), /Task grouping by budget/);
});
