import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/data/random.js';
import { adjustedRandIndex } from '../../src/grouping/ari.js';
import {
  closedLoopGroups,
  closedLoopPlan,
  closedLoopResult,
  closedLoopVerdict,
  randomPartition,
} from '../../src/grouping/closedLoop.js';
import {
  chooseBudget,
  heldOutValidationTotals,
  replicatedBudgetCurve,
  servingOf,
  type BudgetEvidence,
} from '../../src/grouping/curve.js';
import { bootstrapStability } from '../../src/grouping/stability.js';
import { servedTotal, servingOfLabels } from '../../src/grouping/serving.js';
import { groupingFromMatrix } from '../../src/grouping/matrixGrouping.js';
import { plantedLabels, plantedSeedTable } from './helpers.js';

// Two replications' worth of tables per role: choose on one set (validation), score on another (test).
const planted = plantedLabels(3, 3);
const random = seededRandom(5);
const validation = Array.from({ length: 6 }, () => plantedSeedTable(planted, random));
const testTables = Array.from({ length: 6 }, () => plantedSeedTable(planted, random));

test('the budget curve is feasible at every budget (dendrogram candidates), recovers the planted clusters at B = 3, and never rises', async () => {
  const curve = await replicatedBudgetCurve(validation, testTables, { maxGroupSize: 2, level: 0.95 });
  assert.deepEqual(
    curve.map((p) => p.budget),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.ok(curve.every((p) => p.selection.status === 'optimal' && p.predicted.n === 6));
  // groups of 3 exceed --max-group-size 2, so only the dendrogram can have offered the planted clusters
  const three = curve[2];
  assert.ok(
    adjustedRandIndex(three.selection.assignment, planted) >= 0.95,
    `ARI ${adjustedRandIndex(three.selection.assignment, planted)}`,
  );
  const validationTotals = curve.map((p) => p.selection.totalLoss);
  validationTotals
    .slice(1)
    .forEach((t, b) => assert.ok(t <= validationTotals[b] + 1e-9, `validation loss rises at budget ${b + 2}`));
  // the predicted loss is the test total of the chosen networks, replication by replication
  assert.ok(Math.abs(three.predicted.totals[0] - servedTotal(testTables[0], servingOf(three.selection))) < 1e-12);
});

const point = (budget: number, totals: number[]): BudgetEvidence => ({ budget, totals });

test('the recommended budget is the smallest within one standard error of the best', () => {
  // budget 1 is clearly worse in every replication, 2 is within noise of the best (3)
  const curve = [point(1, [5, 5.1, 5.2, 5.05]), point(2, [4.02, 3.98, 4.05, 3.97]), point(3, [4.0, 4.0, 4.01, 3.99])];
  assert.equal(chooseBudget(curve, 'test').budget, 2);
  const clear = [point(1, [5, 5.1, 5.2, 5.05]), point(2, [4.5, 4.6, 4.55, 4.52]), point(3, [4.0, 4.0, 4.01, 3.99])];
  assert.equal(chooseBudget(clear, 'test').budget, 3);
});

test('the budget is chosen on held-out validation totals (leave one seed out): the planted three clusters', async () => {
  const { scheme, evidence } = await heldOutValidationTotals(validation, { level: 0.95, maxGroupSize: 2 });
  assert.match(scheme, /leave-one-seed-out/);
  assert.ok(
    evidence.every((e) => e.totals.length === validation.length),
    'one held-out total per seed',
  );
  assert.equal(chooseBudget(evidence, scheme).budget, 3);
  const single = await heldOutValidationTotals(validation.slice(0, 1), {
    level: 0.95,
    maxGroupSize: 2,
    budgets: [2, 3],
  });
  assert.match(single.scheme, /in-sample/, 'one seed cannot be nested, and says so');
});

test('a random partition has exactly the asked number of non-empty groups, and differs between draws', () => {
  const draws = Array.from({ length: 20 }, () => randomPartition(9, 4, random));
  for (const labels of draws) assert.equal(new Set(labels).size, 4);
  assert.ok(new Set(draws.map((d) => servingOfLabels(d).assignment.join())).size > 10);
  assert.throws(() => randomPartition(3, 4, random), RangeError);
});

test('closed loop: the planted grouping beats all-in-one, all-separate and random groupings on fresh tables', () => {
  const selected = servingOfLabels(planted);
  const plan = closedLoopPlan(selected, 9, 3, 4, seededRandom(1));
  assert.equal(plan.random.length, 4);
  assert.equal(
    closedLoopPlan(selected, 9, 1, 4, seededRandom(1)).random.length,
    0,
    'at budget 1 there is nothing random to draw',
  );
  // the fresh tables must hold every network the plan scores: add the plan's larger groups to the planted pairs
  const fresh = Array.from({ length: 4 }, () => plantedSeedTable(planted, random));
  const groups = closedLoopGroups(plan);
  for (const table of fresh)
    for (const group of groups.filter((g) => g.length > 2)) {
      const cluster = new Set(group.map((t) => planted[t]));
      table.entries.push({ group, loss: group.map((t) => (1 + 0.1 * t) * (cluster.size === 1 ? 0.8 : 1.1)) });
    }
  const result = closedLoopResult(plan, fresh, fresh, 0.95);
  assert.equal(result.baselines.length, 3);
  for (const b of result.baselines) {
    assert.ok(b.selectedMinusBaseline.high < 0, `${b.name}: ${JSON.stringify(b.selectedMinusBaseline)}`);
    assert.ok(
      Math.abs(b.predicted - b.actual.mean) < 1e-12,
      'scored on the same tables, prediction and measurement coincide',
    );
  }
  const verdict = closedLoopVerdict(result);
  assert.equal(verdict.held, true);
  assert.match(verdict.text, /better than all tasks in one network/);
  // the same check for a grouping that splits the planted clusters: worse than all-separate, so it did not hold
  const wrong = closedLoopResult(
    { ...plan, selected: servingOfLabels([0, 1, 2, 0, 1, 2, 0, 1, 2]) },
    fresh,
    fresh,
    0.95,
  );
  assert.equal(closedLoopVerdict(wrong).held, false);
  // every task alone chosen: that baseline is the selection itself, said once instead of compared with itself
  const alone = closedLoopResult({ ...plan, selected: plan.allSeparate, random: [] }, fresh, fresh, 0.95);
  assert.deepEqual(
    alone.baselines.map((b) => b.sameAsSelection === true),
    [false, true],
  );
  const aloneVerdict = closedLoopVerdict(alone).text;
  assert.match(aloneVerdict, /; the selection is every task alone itself$/);
  assert.doesNotMatch(aloneVerdict, /difference from [^;]*every task alone \(/);
});

test('bootstrap stability: identical replications always give the same grouping; a planted one survives resampling', async () => {
  const chosenOn = async (tables: typeof validation) =>
    servingOf(
      (await replicatedBudgetCurve(tables, tables, { level: 0.95, maxGroupSize: 3, budgets: [3] }))[0].selection,
    );
  const copies = Array.from({ length: 4 }, () => validation[0]);
  const same = await bootstrapStability(copies, await chosenOn(copies), 3, {
    maxGroupSize: 3,
    draws: 5,
    random: seededRandom(2),
  });
  assert.deepEqual(same, { draws: 5, sameGrouping: 1, meanAri: 1, samePartition: 1 });
  const planted3 = await bootstrapStability(validation, await chosenOn(validation), 3, {
    maxGroupSize: 3,
    draws: 10,
    random: seededRandom(2),
  });
  assert.ok(
    planted3.sameGrouping >= 0.9,
    `a strongly planted grouping should survive resampling: ${JSON.stringify(planted3)}`,
  );
});

test('a matrix that knows the clusters groups with no regret; one that contradicts them pays for it', async () => {
  const curve = await replicatedBudgetCurve(validation, testTables, { level: 0.95, maxGroupSize: 3, budgets: [3] });
  const knowing = planted.map((a) => planted.map((b) => (a === b ? 1 : 0)));
  const contrary = planted.map((a, i) => planted.map((b, j) => ((i + j) % 3 === 0 && a !== b ? 1 : 0)));
  const good = groupingFromMatrix(knowing, testTables, curve, 0.95);
  const bad = groupingFromMatrix(contrary, testTables, curve, 0.95);
  assert.ok(good && bad);
  assert.equal(good.meanAri, 1);
  assert.ok(Math.abs(good.meanRegret) < 1e-9, `regret ${good.meanRegret}`);
  assert.ok(bad.meanRegret > 0.5 && bad.meanAri < 0.5, JSON.stringify({ ari: bad.meanAri, regret: bad.meanRegret }));
  assert.equal(
    groupingFromMatrix(
      knowing.map((row) => row.map(() => NaN)),
      testTables,
      curve,
      0.95,
    ),
    undefined,
  );
});

test('chosen on validation, scored on test: validation tables that favour {0,1}{2} and test tables that favour {0,2}{1} select the first and report its test total', async () => {
  // Every single costs 1; validation rewards pairing 0 with 1, test rewards pairing 0 with 2.
  const table = (helped: [number, number], seedShift: number) => ({
    taskNames: ['a', 'b', 'c'],
    entries: [
      ...[0, 1, 2].map((t) => ({ group: [t], loss: [1 + seedShift] })),
      ...[
        [0, 1],
        [0, 2],
        [1, 2],
      ].map((group) => ({ group, loss: group.map(() => (group.join() === helped.join() ? 0.5 : 1.2) + seedShift) })),
    ],
  });
  const validation = [table([0, 1], 0), table([0, 1], 0.1)];
  const testTables = [table([0, 2], 0), table([0, 2], 0.1)];
  const [point] = await replicatedBudgetCurve(validation, testTables, { level: 0.95, maxGroupSize: 2, budgets: [2] });
  assert.deepEqual(
    [...point.selection.groups].sort((x, y) => x[0] - y[0]),
    [[0, 1], [2]],
  );
  // on test, {0,1} costs 1.2 + 1.2 and {2} costs 1: 3.4 (+0.3 on the second seed); the test-best {0,2}{1} would cost 2
  assert.deepEqual(
    point.predicted.totals.map((t) => Number(t.toFixed(9))),
    [3.4, 3.7],
  );
  assert.ok(Math.abs(point.predicted.mean - 3.55) < 1e-12);
});
