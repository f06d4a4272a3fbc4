import { validateLossTable, type GroupLoss, type LossTable } from './lossTable.js';
import type { SelectionMethod } from './select.js';

/** A network that may be trained: its tasks, each one's loss in it, and its inference cost. */
export interface Candidate {
  group: number[];
  loss: number[];
  cost: number;
}

export interface SelectionProblem {
  taskCount: number;
  candidates: Candidate[];
}

/**
 * The candidates are the table's entries (overlapping groups allowed). A network costs one unit unless `cost` says
 * otherwise (Standley et al. also price half-size single-task networks at 1/2).
 */
export function selectionProblem(table: LossTable, cost: (entry: GroupLoss) => number = () => 1): SelectionProblem {
  validateLossTable(table);
  const taskCount = table.taskNames.length;
  const candidates = table.entries.map((entry) => {
    const c = cost(entry);
    if (!(c > 0) || !Number.isFinite(c))
      throw new RangeError(`group [${entry.group.join(', ')}]: cost must be positive, got ${c}`);
    return { group: [...entry.group], loss: [...entry.loss], cost: c };
  });
  const covered = new Set(candidates.flatMap((c) => c.group));
  for (let task = 0; task < taskCount; task++)
    if (!covered.has(task))
      throw new RangeError(`task ${table.taskNames[task]} is in no candidate group, so no selection can serve it`);
  return { taskCount, candidates };
}

/** Per candidate, its loss for every task (Infinity where the task is not in it): serving becomes an elementwise min. */
export function denseLosses(problem: SelectionProblem): Float64Array[] {
  return problem.candidates.map(({ group, loss }) => {
    const row = new Float64Array(problem.taskCount).fill(Infinity);
    group.forEach((task, k) => (row[task] = loss[k]));
    return row;
  });
}

/** The largest |loss| in the problem (a reduce: spreading 10^5 losses into Math.max would overflow the stack). */
export const largestAbsLoss = (problem: SelectionProblem): number =>
  problem.candidates.reduce((m, c) => c.loss.reduce((n, l) => Math.max(n, Math.abs(l)), m), 0);

/** Costs are sums of user numbers such as 0.5: compare them with a little slack. */
export const fitsBudget = (cost: number, budget: number): boolean => cost <= budget + 1e-9;

/**
 * A cheap proof that a budget cannot serve every task: even spending it on the candidates with the most tasks per
 * unit cost, fractionally, covers fewer than all tasks. Spares the ILP its slowest case, proving infeasibility.
 */
export function provablyInfeasible(problem: SelectionProblem, budget: number): boolean {
  const byRate = [...problem.candidates].sort((a, b) => b.group.length / b.cost - a.group.length / a.cost);
  let left = budget;
  let covered = 0;
  for (const { group, cost } of byRate) {
    if (left <= 0) break;
    const share = Math.min(1, left / cost);
    covered += share * group.length;
    left -= share * cost;
  }
  return covered < problem.taskCount - 1e-9;
}

/**
 * optimal: proven best within the budget; feasible: a selection, not proven best (heuristic, or the ILP stopped at its
 * time limit); infeasible: proven that no selection within the budget serves every task; not-found: none found (by
 * the heuristic, or the ILP within its time limit), which proves nothing.
 */
export type SelectionStatus = 'optimal' | 'feasible' | 'infeasible' | 'not-found';

export interface Selection {
  budget: number;
  method: SelectionMethod;
  status: SelectionStatus;
  /** Sum over tasks of the served loss; Infinity without a selection. */
  totalLoss: number;
  cost: number;
  /** Chosen candidate indices, ascending; only networks that serve at least one task. */
  networks: number[];
  groups: number[][];
  /** Per task, the index into `networks` of the network serving it (-1 without a selection). */
  assignment: number[];
  /** Per task, its loss in the network serving it. */
  taskLoss: number[];
}

/**
 * Serves each task by its best chosen network (ties: lower candidate index) and drops chosen networks that serve
 * nothing, so every solver reports the same canonical form.
 */
export function toSelection(
  problem: SelectionProblem,
  budget: number,
  method: SelectionMethod,
  status: SelectionStatus,
  chosen: readonly number[],
): Selection {
  const { taskCount, candidates } = problem;
  if (status === 'infeasible' || status === 'not-found')
    return {
      budget,
      method,
      status,
      totalLoss: Infinity,
      cost: 0,
      networks: [],
      groups: [],
      assignment: new Array<number>(taskCount).fill(-1),
      taskLoss: new Array<number>(taskCount).fill(NaN),
    };
  const server = new Array<number>(taskCount).fill(-1);
  const taskLoss = new Array<number>(taskCount).fill(Infinity);
  for (const c of [...chosen].sort((a, b) => a - b))
    candidates[c].group.forEach((task, k) => {
      if (candidates[c].loss[k] < taskLoss[task]) {
        taskLoss[task] = candidates[c].loss[k];
        server[task] = c;
      }
    });
  if (server.includes(-1)) throw new Error('internal: a solver returned a selection that leaves a task unserved');
  const networks = [...new Set(server)].sort((a, b) => a - b);
  return {
    budget,
    method,
    status,
    totalLoss: taskLoss.reduce((s, l) => s + l, 0),
    cost: networks.reduce((s, c) => s + candidates[c].cost, 0),
    networks,
    groups: networks.map((c) => [...candidates[c].group]),
    assignment: server.map((c) => networks.indexOf(c)),
    taskLoss,
  };
}
