import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetCurve, selectNetworks } from '../../src/grouping/select.js';
import { bruteForceCurve } from '../../src/grouping/selectBruteForce.js';
import { heuristicSelect } from '../../src/grouping/selectHeuristic.js';
import { ilpSelect, selectionLp } from '../../src/grouping/selectIlp.js';
import { selectionProblem, type Selection, type SelectionProblem } from '../../src/grouping/selection.js';
import { randomLossTable } from './helpers.js';

/** A selection is internally consistent: within budget, every task served by a chosen network that contains it at its stated loss. */
function assertConsistent(problem: SelectionProblem, s: Selection): void {
  if (s.status === 'infeasible' || s.status === 'not-found') return;
  assert.ok(s.cost <= s.budget + 1e-9, `cost ${s.cost} over budget ${s.budget}`);
  let total = 0;
  for (let task = 0; task < problem.taskCount; task++) {
    const candidate = problem.candidates[s.networks[s.assignment[task]]];
    const k = candidate.group.indexOf(task);
    assert.ok(k >= 0, `task ${task} assigned to a network without it`);
    assert.equal(s.taskLoss[task], candidate.loss[k]);
    total += candidate.loss[k];
  }
  assert.ok(Math.abs(total - s.totalLoss) < 1e-9);
}

/** Random T = 6 tables (singles, pairs, some larger overlapping groups) and their brute-force curves, computed once. */
const tables = new Map<string, { problem: SelectionProblem; reference: Selection[] }>();
function randomCase(seed: number, withAll: boolean): { problem: SelectionProblem; reference: Selection[] } {
  const key = `${seed}/${withAll}`;
  if (!tables.has(key)) {
    const problem = selectionProblem(randomLossTable(6, seed, 0.2, withAll));
    tables.set(key, { problem, reference: bruteForceCurve(problem, [1, 2, 3, 4, 5, 6]) });
  }
  return tables.get(key)!;
}

test('the ILP equals brute force on T = 6 for every budget 1..6 (random overlapping tables)', async () => {
  for (const [seed, withAll] of [
    [1, true],
    [2, true],
    [3, false],
    [4, true],
    [5, false],
  ] as const) {
    const { problem, reference } = randomCase(seed, withAll);
    for (let budget = 1; budget <= 6; budget++) {
      const exact = reference[budget - 1];
      const ilp = await ilpSelect(problem, budget);
      assert.equal(ilp.method, 'ilp');
      assert.equal(ilp.status, exact.status, `seed ${seed}, budget ${budget}`);
      if (exact.status === 'optimal')
        assert.ok(
          Math.abs(ilp.totalLoss - exact.totalLoss) < 1e-7,
          `seed ${seed}, budget ${budget}: ${ilp.totalLoss} vs ${exact.totalLoss}`,
        );
      assertConsistent(problem, ilp);
      assertConsistent(problem, exact);
    }
  }
});

test('tables without the all-task network are infeasible at budget 1, and loss never rises with the budget', async () => {
  const { problem } = randomCase(3, false);
  const curve = await budgetCurve(problem);
  assert.deepEqual(
    curve.map((s) => s.budget),
    [1, 2, 3, 4, 5, 6],
  );
  assert.equal(curve[0].status, 'infeasible');
  assert.equal(curve[0].totalLoss, Infinity);
  for (let b = 1; b < curve.length; b++) assert.ok(curve[b].totalLoss <= curve[b - 1].totalLoss + 1e-12);
  assert.ok(curve.every((s) => s.method === 'partition'));
});

test('per-group costs: half-price singles, fractional budgets, ILP still equals brute force', async () => {
  const problem = selectionProblem(randomLossTable(6, 11, 0.2), (entry) => (entry.group.length === 1 ? 0.5 : 1));
  const budgets = [0.5, 1, 1.5, 2, 2.5, 3, 3.5];
  const curve = await budgetCurve(problem, { budgets });
  const reference = bruteForceCurve(problem, budgets);
  curve.forEach((ilp, b) => {
    const exact = reference[b];
    assert.equal(ilp.status, exact.status);
    if (exact.status === 'optimal') assert.ok(Math.abs(ilp.totalLoss - exact.totalLoss) < 1e-7);
    assertConsistent(problem, ilp);
  });
  assert.ok(
    curve.some((s) => s.groups.some((g) => g.length === 1)),
    'cheap singles should be used somewhere',
  );
});

test('the partition search equals brute force on T = 6 for every budget 1..6, and refuses priced networks', async () => {
  for (const [seed, withAll] of [
    [1, true],
    [2, true],
    [3, false],
    [4, true],
    [5, false],
  ] as const) {
    const { problem, reference } = randomCase(seed, withAll);
    for (let budget = 1; budget <= 6; budget++) {
      const exact = reference[budget - 1];
      const partition = await selectNetworks(problem, budget, { method: 'partition' });
      assert.equal(partition.method, 'partition');
      assert.equal(partition.status, exact.status, `seed ${seed}, budget ${budget}`);
      if (exact.status === 'optimal')
        assert.ok(Math.abs(partition.totalLoss - exact.totalLoss) < 1e-12, `seed ${seed}, budget ${budget}`);
      assertConsistent(problem, partition);
    }
  }
  const priced = selectionProblem(randomLossTable(4, 1, 0), (e) => (e.group.length === 1 ? 0.5 : 1));
  await assert.rejects(selectNetworks(priced, 2, { method: 'partition' }), /needs networks that cost 1/);
});

test('the heuristic stays within budget and never beats the optimum; auto switches to it above the size limit', async () => {
  let matched = 0;
  let feasibleRuns = 0;
  for (const seed of [1, 2, 4]) {
    const { problem, reference } = randomCase(seed, true);
    for (let budget = 1; budget <= 6; budget++) {
      const exact = reference[budget - 1];
      const h = heuristicSelect(problem, budget);
      assert.equal(h.method, 'heuristic');
      assertConsistent(problem, h);
      if (h.status === 'feasible') {
        feasibleRuns++;
        assert.ok(h.totalLoss >= exact.totalLoss - 1e-9);
        if (Math.abs(h.totalLoss - exact.totalLoss) < 1e-9) matched++;
      }
    }
    // priced networks leave the partition search to the ILP, and past the ILP's size limit to the heuristic
    const priced = selectionProblem(randomLossTable(6, seed, 0.2, true), (e) => (e.group.length === 1 ? 0.5 : 1));
    const auto = await selectNetworks(priced, 3, { maxIlpCandidates: priced.candidates.length - 1 });
    assert.equal(auto.method, 'heuristic');
    assert.equal((await selectNetworks(priced, 3)).method, 'ilp');
    assert.equal((await selectNetworks(problem, 3)).method, 'partition');
  }
  assert.equal(feasibleRuns, 18, 'with the all-task network every budget has a cover the heuristic should find');
  assert.ok(matched >= 12, `heuristic matched the optimum in only ${matched} of 18 cases`);
});

test('the LP text declares one binary per candidate and one serve row per task', () => {
  const problem = selectionProblem(randomLossTable(4, 1, 0));
  const lp = selectionLp(problem, 2);
  assert.match(lp, /^Minimize\n/);
  assert.match(lp, /\nEnd\n$/);
  const binaries = lp.split('Binary\n')[1].split('\nEnd')[0].trim().split(/\s+/);
  assert.equal(binaries.length, problem.candidates.length);
  assert.equal((lp.match(/ serve\d+:/g) ?? []).length, 4);
  assert.match(lp, / <= 2\n/);
});

test('a task in no candidate group is refused up front', () => {
  assert.throws(
    () => selectionProblem({ taskNames: ['a', 'b'], entries: [{ group: [0], loss: [1] }] }),
    /b is in no candidate/,
  );
});
