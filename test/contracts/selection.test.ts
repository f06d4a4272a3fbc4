/**
 * The selection-method contract, checked for every entry of SELECTION_METHODS: within the budget, every task served
 * by a chosen network that contains it, the canonical form (each task by its best chosen network), its own name
 * stamped; an exact method reaches brute force's optimum on random problems, a heuristic never beats it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SELECTION_METHODS, type SelectionMethod, type SelectionStrategy } from '../../src/grouping/select.js';
import { bruteForceSelect } from '../../src/grouping/selectBruteForce.js';
import { selectionProblem } from '../../src/grouping/selection.js';
import { randomLossTable } from '../grouping/helpers.js';

const PROBLEMS = [3, 4, 5].flatMap((tasks) => [1, 2].map((seed) => selectionProblem(randomLossTable(tasks, seed))));

for (const [name, strategy] of Object.entries(SELECTION_METHODS) as [SelectionMethod, SelectionStrategy][])
  test(`selection method ${name}: a valid selection within every budget, ${strategy.exact ? 'optimal' : 'never better than optimal'}`, async () => {
    assert.ok(strategy.label.trim());
    for (const problem of PROBLEMS) {
      const T = problem.taskCount;
      for (let budget = 1; budget <= T; budget++) {
        const selection = await strategy.select(problem, budget, {});
        const where = `${name}, ${T} tasks, budget ${budget}`;
        assert.equal(selection.method, name, where);
        assert.ok(selection.groups.length <= budget && selection.cost <= budget + 1e-9, where);
        assert.equal(selection.assignment.length, T, where);
        for (let t = 0; t < T; t++)
          assert.ok(selection.groups[selection.assignment[t]].includes(t), `${where}: task ${t}`);
        const served = selection.taskLoss.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(served - selection.totalLoss) < 1e-9, where);
        const optimum = bruteForceSelect(problem, budget).totalLoss;
        if (strategy.exact) assert.ok(Math.abs(selection.totalLoss - optimum) < 1e-9, `${where}: optimal`);
        else assert.ok(selection.totalLoss >= optimum - 1e-9, where);
      }
    }
  });
