import { completeLossTable, combinations } from './higherOrder.js';
import { mean, sampleSd } from '../affinity/stats.js';
import { averageLinkage, dendrogramClusters } from './cluster.js';
import type { LossTable } from './lossTable.js';
import { pairGainMatrix, symmetrise } from './pairGain.js';
import { meanLossTable } from './replicated.js';
import { selectNetworks, type SelectOptions } from './select.js';
import { selectionProblem, type Selection } from './selection.js';
import { replicatedTotal, servedLosses, type ReplicatedTotal, type Serving } from './serving.js';

/** One budget's answer: chosen on validation losses, scored on test losses, replication by replication. */
export interface CurvePoint {
  budget: number;
  selection: Selection;
  /** Wall seconds the solver took for this budget. */
  seconds: number;
  /** Total test loss of the chosen networks, per replication and as an interval. */
  predicted: ReplicatedTotal;
  /** Per task, its mean test loss in the network serving it (NaN without a selection). */
  taskTestLoss: number[];
}

export const servingOf = (selection: Selection): Serving => ({ groups: selection.groups, assignment: selection.assignment });

/** Candidate groups up to this many tasks keep the exact solver fast: the largest size whose count stays within `limit`. */
export function defaultMaxGroupSize(taskCount: number, limit = 500): number {
  let size = 2;
  let count = taskCount + combinations(taskCount, 2).length;
  while (size < taskCount) {
    count += combinations(taskCount, size + 1).length;
    if (count > limit) break;
    size++;
  }
  return Math.min(size, taskCount);
}

export interface CurveOptions extends SelectOptions {
  budgets?: number[];
  maxGroupSize: number;
  level?: number;
}

/**
 * The candidate networks: every group of up to `maxGroupSize` tasks, every measured group, and every cluster of the
 * average-linkage dendrogram of the table's own pair gains. The dendrogram's clusters make every budget feasible when
 * `maxGroupSize` is below the task count; the solver is exact over this set, not over all 2^T groups.
 */
export const candidateTable = (table: LossTable, maxGroupSize: number): LossTable =>
  completeLossTable(table, maxGroupSize, dendrogramClusters(averageLinkage(symmetrise(pairGainMatrix(table)))));

/**
 * Standley's selection for every budget. Choosing on validation and scoring on test keeps the predicted loss honest:
 * the test losses played no part in picking the networks. Groups that no one trained enter with their pairwise
 * approximation, per replication.
 */
export async function replicatedBudgetCurve(validationTables: readonly LossTable[], testTables: readonly LossTable[], options: CurveOptions): Promise<CurvePoint[]> {
  const problem = selectionProblem(candidateTable(meanLossTable(validationTables), options.maxGroupSize));
  const meanTest = meanLossTable(testTables);
  const budgets = options.budgets ?? Array.from({ length: problem.taskCount }, (_, b) => b + 1);
  const points: CurvePoint[] = [];
  for (const budget of budgets) {
    const started = performance.now();
    const selection = await selectNetworks(problem, budget, options);
    const seconds = (performance.now() - started) / 1000;
    const found = selection.groups.length > 0;
    const predicted = found ? replicatedTotal(testTables, servingOf(selection), options.level) : { mean: Infinity, low: NaN, high: NaN, n: 0, totals: [] };
    const taskTestLoss = found ? servedLosses(meanTest, servingOf(selection)) : selection.taskLoss;
    points.push({ budget, selection, seconds, predicted, taskTestLoss });
  }
  return points;
}

/** Why a budget was recommended, so the user can disagree. */
export interface BudgetChoice {
  budget: number;
  reason: string;
}

/**
 * The one-standard-error rule (Breiman et al. 1984, as in cross-validated model choice): the smallest budget whose
 * test loss exceeds the best budget's by at most one standard error of their paired difference over replications.
 * Fewer networks is the cheaper answer, so it wins whenever the data cannot tell it apart from the best. (A 95% test
 * would pick one network almost always with three replications, which the closed loop on yeast showed to be wrong.)
 * With a single replication: the smallest budget that matches the best.
 */
export function chooseBudget(points: readonly CurvePoint[]): BudgetChoice {
  const feasible = points.filter((p) => Number.isFinite(p.predicted.mean));
  if (feasible.length === 0) throw new RangeError('no budget has a feasible selection');
  const best = feasible.reduce((a, b) => (b.predicted.mean < a.predicted.mean ? b : a));
  const lowest = { budget: best.budget, reason: `budget ${best.budget} has the lowest predicted test loss` };
  for (const point of [...feasible].sort((a, b) => a.budget - b.budget)) {
    if (point === best) return lowest;
    const differences = point.predicted.totals.map((t, r) => t - best.predicted.totals[r]);
    const excess = mean(differences);
    const standardError = sampleSd(differences) / Math.sqrt(differences.length);
    if (differences.length >= 2 ? excess <= standardError : excess <= 0)
      return {
        budget: point.budget,
        reason: `smallest budget within one standard error of the best (budget ${best.budget}): ${excess >= 0 ? '+' : ''}${excess.toFixed(4)} ± ${standardError.toFixed(4)} over ${differences.length} replications`,
      };
  }
  return lowest;
}
