import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { replicatesFromRecords } from '../../src/affinity/gain.js';
import { inferCells } from '../../src/affinity/inference.js';
import { leakCorrelation } from '../../src/affinity/leak.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { seededRandom } from '../../src/data/random.js';
import type { SplitScheme } from '../../src/data/split.js';
import { closedLoopPlan } from '../../src/grouping/closedLoop.js';
import { replicatedBudgetCurve, servingOf } from '../../src/grouping/curve.js';
import { replicatedTables } from '../../src/grouping/replicated.js';
import { pairedDifference, servedTotal } from '../../src/grouping/serving.js';
import { replicationsOf } from '../../src/sweep/plan.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir } from '../helpers/files.js';
import { sweepAndEstimate } from '../helpers/sweep.js';

before(async () => {
  await testBackend();
});

test('no signal (every task a null task, several data seeds): the selection beats no random grouping, verdicts stay within the FDR, no leak', async () => {
  const split: SplitScheme = { kind: 'kfold', folds: 3 };
  const seeds = [0, 1, 2];
  const replications = replicationsOf(split, seeds).map((r) => r.key);
  const engine = { hidden: [16], learningRate: 0.01, batchSize: 32, epochs: 8 };
  const fdr = 0.05;
  const versusRandom: number[][] = [[], []];
  let verdicts = 0;
  let cells = 0;
  const leakGaps: number[] = [];
  for (const dataSeed of [1, 2, 3]) {
    const { dataset } = plantedClusters({ rows: 240, features: 8, clusters: 0, noiseTasks: 6, seed: dataSeed });
    const T = dataset.taskNames.length;
    const { sweep } = await sweepAndEstimate(dataset, seeds, engine, join(tempDir(), 'journal.jsonl'), 1, split);
    const records = sweep.journal.records;
    const inference = inferCells(replicatesFromRecords(records, T, replications), fdr);
    verdicts += inference.counts.helps + inference.counts.hurts;
    cells += T * (T - 1);
    // the grouping at budget 2 (chosen on validation) against random groupings of 2 networks, on test, per seed
    const tables = replicatedTables(records, dataset.taskNames, replications);
    const [point] = await replicatedBudgetCurve(tables.validation, tables.test, {
      level: 0.95,
      budgets: [2],
      maxGroupSize: 2,
    });
    const plan = closedLoopPlan(servingOf(point.selection), T, 2, 6, seededRandom(dataSeed, 12));
    tables.test.forEach((table) => {
      versusRandom[0].push(servedTotal(table, plan.selected));
      versusRandom[1].push(plan.random.reduce((s, r) => s + servedTotal(table, r), 0) / plan.random.length);
    });
    const leak = leakCorrelation(records, T, replications);
    assert.equal(leak.points, replications.length * T * (T - 1));
    leakGaps.push(leak.adjacent - leak.unrelated);
  }
  const difference = pairedDifference(versusRandom[0], versusRandom[1], 0.95);
  assert.ok(
    difference.high >= 0,
    `the selection looks better than random groupings on noise: ${JSON.stringify(difference)}`,
  );
  assert.ok(verdicts / cells <= fdr, `${verdicts} verdicts in ${cells} null cells`);
  const gap = leakGaps.reduce((s, g) => s + g, 0) / leakGaps.length;
  assert.ok(
    Math.abs(gap) < 0.15,
    `validation(f) vs test(f+1) departs from its baseline (f+2) by ${gap} (per data seed: ${leakGaps.map((g) => g.toFixed(2)).join(', ')})`,
  );
});
