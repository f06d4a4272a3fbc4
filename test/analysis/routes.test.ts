import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fewerEpochsRoute, routesFor, type JournalEvidence } from '../../src/analysis/routes.js';
import { agreement } from '../../src/affinity/proxies/agreement.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { PROTOCOL_SPLIT } from '../../src/data/split.js';
import { earlyMatrixAgreement } from '../../src/grouping/earlyStopping.js';
import { networkId, pairwiseGroups, replicationsOf, SweepGroups } from '../../src/sweep/plan.js';
import { LARGE_SWEEP_SECONDS, planText, type SweepPlan } from '../../src/sweep/planner.js';
import { testBackend } from '../helpers/backend.js';
import { SMALL_ENGINE, sweepAndEstimate } from '../helpers/sweep.js';
import { tempDir } from '../helpers/files.js';

const engine = { ...SMALL_ENGINE, epochs: 20 };

/** A plan above the planner's large-sweep line, for which it offers cheaper routes. */
const largePlan = (groups: number): SweepPlan => ({
  networks: 600,
  groups,
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
});

before(async () => {
  await testBackend();
});

test("the fewer-epochs route is measured on the journal's whole replications, and replaces the unmeasured advice", async () => {
  const { dataset } = plantedClusters({ rows: 300, features: 10, clusters: 2, tasksPerCluster: 2, seed: 5 });
  const T = dataset.taskNames.length;
  const groups = SweepGroups.pairwise(T);
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
    folder: tempDir(),
    dataSha256: dataset.sha256,
  };
  const route = await fewerEpochsRoute(evidence);
  assert.ok(route);
  assert.equal(route.kind, 'fewer epochs');
  const wholeNetworks = groups.length;
  assert.match(route.cost, new RegExp(`^measured on this journal's ${wholeNetworks} networks \\(1 replication\\): `));
  // the figures are the early-stopping approximation's on that replication (epochs 2, 5 and 10 of 20)
  const full = await fewerEpochsRoute({ ...evidence, records: sweep.journal.records, replications: [first, second] });
  assert.ok(full);
  assert.match(full.cost, /\(2 replications\): 2 of 20 epochs: Spearman -?\d\.\d\d .*; 5 of 20 .*; 10 of 20 epochs/);
  const points = earlyMatrixAgreement(
    sweep.journal.records,
    dataset.taskNames,
    [first, second],
    engine,
    [0.1, 0.25, 0.5],
    estimate.mean,
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
  assert.equal(await fewerEpochsRoute(evidence), undefined);

  const plan = largePlan(groups.length);
  const measured = planText(plan, T, [full]).join('\n');
  assert.match(measured, /fewer epochs: --epochs E .*measured on this journal's/);
  assert.doesNotMatch(measured, /once a whole replication is trained/);
  assert.match(
    planText(plan, T, []).join('\n'),
    /fewer epochs: tra group <folder> .*once a whole replication is trained/,
  );
});

test("a proxy's route carries its error on this data when the folder's proxies.json holds its estimate, scored against the journal without training", async () => {
  const { dataset } = plantedClusters({ rows: 300, features: 10, clusters: 2, tasksPerCluster: 2, seed: 6 });
  const T = dataset.taskNames.length;
  const { sweep, estimate } = await sweepAndEstimate(dataset, [1, 2], engine);
  const folder = tempDir();
  const evidence: JournalEvidence = {
    records: sweep.journal.records,
    taskNames: dataset.taskNames,
    replications: replicationsOf(PROTOCOL_SPLIT, [1, 2]).map((r) => r.key),
    groups: SweepGroups.pairwise(T),
    engine,
    level: 0.95,
    folder,
    dataSha256: dataset.sha256,
  };
  const plan = largePlan(pairwiseGroups(T).length);
  // an estimate that ranks the cells against the truth on the off-diagonal: its Spearman is computed, not assumed
  const matrix = estimate.mean.map((row, i) => row.map((_, j) => (i === j ? null : (i * T + j) % 5)));
  const proxiesFile = (sha256: string, taskNames = dataset.taskNames) =>
    JSON.stringify({
      provenance: { data: { sha256 } },
      taskNames,
      proxies: [{ proxy: 'gradient cosine', id: 'cosine', matrix }],
    });
  const cosine = async () => (await routesFor(plan, evidence)).find((r) => r.proxy === 'cosine')!;

  const unmeasured = await cosine();
  assert.equal(unmeasured.measuredHere, undefined, 'no proxies.json: nothing measured');

  writeFileSync(join(folder, 'proxies.json'), proxiesFile(dataset.sha256));
  const scored = await cosine();
  const expected = agreement(
    'lookahead',
    matrix.map((row) => row.map((v) => v ?? NaN)),
    estimate.mean,
  ).spearman;
  assert.equal(scored.measuredHere, true);
  assert.match(
    scored.cost,
    new RegExp(
      `measured on this data: Spearman ${expected.toFixed(2).replace('-', '\\-')} with this journal's 2 whole replications`,
    ),
  );
  const text = planText(plan, T, await routesFor(plan, evidence)).join('\n');
  assert.match(text, /tra proxies <definition> --proxies cosine .*measured on this data/);

  writeFileSync(join(folder, 'proxies.json'), proxiesFile('ff'.repeat(32)));
  assert.equal((await cosine()).measuredHere, undefined, 'estimates of other data are not evidence');
  writeFileSync(join(folder, 'proxies.json'), proxiesFile(dataset.sha256, [...dataset.taskNames].reverse()));
  assert.equal((await cosine()).measuredHere, undefined, 'estimates of other tasks are not evidence');

  writeFileSync(join(folder, 'proxies.json'), '{"taskNames": [');
  assert.match((await cosine()).cost, /proxies\.json could not be read/, 'a broken file is said, not skipped');
});
