import { denseLosses, fitsBudget, toSelection, type Selection, type SelectionProblem } from './selection.js';

/**
 * Exact selection at every given budget by enumerating candidate sets within the largest one, once: the reference
 * the ILP is tested against, only for small problems. One pruning, which keeps it exact: a candidate that improves
 * no task's current served loss is never added, since it stays redundant in every superset.
 */
export function bruteForceCurve(problem: SelectionProblem, budgets: readonly number[]): Selection[] {
  const rows = denseLosses(problem);
  const { candidates, taskCount } = problem;
  const maxBudget = Math.max(...budgets);
  const best = budgets.map(() => ({ total: Infinity, set: [] as number[] }));
  const chosen: number[] = [];
  const search = (start: number, spent: number, served: Float64Array): void => {
    let total = 0;
    for (let t = 0; t < taskCount; t++) total += served[t];
    for (let b = 0; b < budgets.length; b++)
      if (total < best[b].total && fitsBudget(spent, budgets[b])) best[b] = { total, set: [...chosen] };
    for (let c = start; c < candidates.length; c++) {
      if (!fitsBudget(spent + candidates[c].cost, maxBudget)) continue;
      const row = rows[c];
      let improves = false;
      for (let t = 0; t < taskCount && !improves; t++) improves = row[t] < served[t];
      if (!improves) continue;
      chosen.push(c);
      search(
        c + 1,
        spent + candidates[c].cost,
        served.map((l, t) => Math.min(l, row[t])),
      );
      chosen.pop();
    }
  };
  search(0, 0, new Float64Array(taskCount).fill(Infinity));
  return budgets.map((budget, b) =>
    toSelection(problem, budget, 'brute-force', best[b].total < Infinity ? 'optimal' : 'infeasible', best[b].set),
  );
}

export const bruteForceSelect = (problem: SelectionProblem, budget: number): Selection =>
  bruteForceCurve(problem, [budget])[0];
