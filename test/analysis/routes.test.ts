import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fewerEpochsRoute, type JournalEvidence } from '../../src/analysis/routes.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { PROTOCOL_SPLIT } from '../../src/data/split.js';
import { earlyMatrixAgreement } from '../../src/grouping/earlyStopping.js';
import { networkId, pairwiseGroups, replicationsOf } from '../../src/sweep/plan.js';
import { LARGE_SWEEP_SECONDS, planText, type SweepPlan } from '../../src/sweep/planner.js';
import { testBackend } from '../helpers/backend.js';
import { SMALL_ENGINE, sweepAndEstimate } from '../helpers/sweep.js';

const engine = { ...SMALL_ENGINE, epochs: 20 };

before(async () => {
  await testBackend();
});

test("the fewer-epochs route is measured on the journal's whole replications, and replaces the unmeasured advice", async () => {
  const { dataset } = plantedClusters({ rows: 300, features: 10, clusters: 2, tasksPerCluster: 2, seed: 5 });
  const T = dataset.taskNames.length;
  const groups = pairwiseGroups(T);
  const { sweep, estimate } = await sweepAndEstimate(dataset, [1, 2], engine);
  const [first, second, third] = replicationsOf(PROTOCOL_SPLIT, [1, 2, 3]).map((r) => r.key);
  // the second replication lacks a pair: only the first is whole; the third was never trained
  const records = new Map(sweep.journal.records);
  records.delete(networkId(second, [0, 1]));
  const evidence: JournalEvidence = {
    records,
    taskNames: dataset.taskNames,
    replications: [first, second, third],
    groups,
    engine,
    level: 0.95,
  };
  const route = fewerEpochsRoute(evidence);
  assert.ok(route);
  assert.equal(route.kind, 'fewer epochs');
  const wholeNetworks = groups.length;
  assert.match(route.cost, new RegExp(`^measured on this journal's ${wholeNetworks} networks \\(1 replication\\): `));
  // the figures are the early-stopping approximation's on that replication (epochs 2, 5 and 10 of 20)
  const full = fewerEpochsRoute({ ...evidence, records: sweep.journal.records, replications: [first, second] });
  assert.ok(full);
  assert.match(full.cost, /\(2 replications\): 2 of 20 epochs: Spearman -?\d\.\d\d .*; 5 of 20 .*; 10 of 20 epochs/);
  const points = earlyMatrixAgreement(
    sweep.journal.records,
    dataset.taskNames,
    [first, second],
    engine,
    [0.1, 0.25, 0.5],
    estimate.mean,
    0.95,
  );
  assert.ok(points);
  for (const p of points)
    assert.ok(
      full.cost.includes(`${p.epochs} of 20 epochs: Spearman ${p.spearman.toFixed(2)} with full training for`),
      `${p.epochs} epochs in ${full.cost}`,
    );
  assert.ok(points[0].costShare < points[2].costShare && points[2].costShare < 1, 'fewer epochs cost less');

  // no whole replication: nothing measured, so no route
  records.delete(networkId(first, [2, 3]));
  assert.equal(fewerEpochsRoute(evidence), undefined);

  const plan: SweepPlan = {
    networks: 600,
    groups: groups.length,
    replications: 60,
    calibration: {
      backend: 'native',
      networks: 4,
      epochs: 20,
      seconds: 1,
      startSeconds: 0,
      callSeconds: 0,
      recordSeconds: 0,
      parallel: 1,
      stoppedShare: 0,
      probe: false,
    },
    estimatedSeconds: LARGE_SWEEP_SECONDS + 1,
  };
  const measured = planText(plan, T, [full]).join('\n');
  assert.match(measured, /fewer epochs: --epochs E .*measured on this journal's/);
  assert.doesNotMatch(measured, /once a whole replication is trained/);
  assert.match(
    planText(plan, T, []).join('\n'),
    /fewer epochs: tra group <folder> .*once a whole replication is trained/,
  );
});
