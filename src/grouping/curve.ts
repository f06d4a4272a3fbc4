import { binomial } from '../math/combinations.js';
import { mean, sampleSd } from '../affinity/stats.js';
import type { LossTable } from './lossTable.js';
import { meanLossTable } from './replicated.js';
import type { SelectOptions } from './select.js';
import { SelectionMemo } from './selectionMemo.js';
import { MAX_PARTITION_TASKS } from './selectPartition.js';
import type { Selection } from './selection.js';
import { replicatedTotal, servedLosses, servedTotal, type ReplicatedTotal, type Serving } from './serving.js';

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

export const servingOf = (selection: Selection): Serving => ({
  groups: selection.groups,
  assignment: selection.assignment,
});

/**
 * The default candidate groups: every group of the tasks while the exact partition search over all of them stays quick
 * (up to MAX_PARTITION_TASKS tasks: a whole budget curve over the 65,535 groups of 16 tasks took ~2 s on an AMD EPYC),
 * beyond that as many as keep the ILP fast.
 */
export const defaultMaxGroupSize = (taskCount: number): number =>
  taskCount <= MAX_PARTITION_TASKS ? taskCount : ilpMaxGroupSize(taskCount);

/** For the ILP (priced networks, or too many tasks for the partition search): the largest group size whose count of groups stays within `limit`. */
export function ilpMaxGroupSize(taskCount: number, limit = 500): number {
  let size = 2;
  let count = taskCount + binomial(taskCount, 2);
  while (size < taskCount) {
    count += binomial(taskCount, size + 1);
    if (count > limit) break;
    size++;
  }
  return Math.min(size, taskCount);
}

/** Over which groups a selection is optimal, in words: every group, or the candidates it was limited to. */
export const candidateScope = (taskCount: number, maxGroupSize: number): { everyGroup: boolean; text: string } =>
  maxGroupSize >= taskCount
    ? {
        everyGroup: true,
        text: `every group of the ${taskCount} tasks (${2 ** taskCount - 1} groups; untrained ones approximated from pairs)`,
      }
    : {
        everyGroup: false,
        text: `groups of up to ${maxGroupSize} of the ${taskCount} tasks, every trained group and the average-linkage dendrogram's clusters (not every group: ${taskCount > MAX_PARTITION_TASKS ? `more than ${MAX_PARTITION_TASKS} tasks is beyond the exact search over all groups` : 'limited by --max-group-size'}); untrained groups approximated from pairs`,
      };

/** Up to this many tasks a curve selects at every budget unless told otherwise (results there are as they always were). */
export const EVERY_BUDGET_UP_TO = 64;

/**
 * The budgets a curve selects at unless --budgets says: every one from 1 to the number of tasks up to
 * EVERY_BUDGET_UP_TO tasks; beyond, every one up to 16, then steps of about a quarter up to the number of tasks (35
 * budgets at 1000 tasks). Every budget of 1000 tasks, each selected again on every held-out seed, ran 37 minutes
 * without finishing.
 */
export function defaultBudgets(taskCount: number): number[] {
  if (taskCount <= EVERY_BUDGET_UP_TO) return Array.from({ length: taskCount }, (_, b) => b + 1);
  const budgets = Array.from({ length: 16 }, (_, b) => b + 1);
  for (let b = Math.round(16 * 1.25); b < taskCount; b = Math.round(b * 1.25)) budgets.push(b);
  return [...budgets, taskCount];
}

/** Budgets in words, runs of consecutive ones joined: 1-16, 20, 25, 31. */
export function budgetsText(budgets: readonly number[]): string {
  const parts: string[] = [];
  for (let k = 0; k < budgets.length; ) {
    let end = k;
    while (end + 1 < budgets.length && budgets[end + 1] === budgets[end] + 1) end++;
    parts.push(end - k >= 2 ? `${budgets[k]}-${budgets[end]}` : budgets.slice(k, end + 1).join(', '));
    k = end + 1;
  }
  return parts.join(', ');
}

export interface CurveOptions extends SelectOptions {
  budgets?: number[];
  /** Told before each budget's selection (a progress line): which budget, which of how many, in which pass. */
  onBudget?: (budget: number, index: number, count: number, pass: string) => void;
  maxGroupSize: number;
  /** Confidence level of the intervals. */
  level: number;
  /** Selections already made (by the curve, its held-out seeds, the bootstrap), found by their table: made once. */
  memo?: SelectionMemo;
}

/**
 * Standley's selection for every budget. Choosing on validation and scoring on test keeps the predicted loss honest:
 * the test losses played no part in picking the networks. Groups that no one trained enter with their pairwise
 * approximation, per replication.
 */
export async function replicatedBudgetCurve(
  validationTables: readonly LossTable[],
  testTables: readonly LossTable[],
  options: CurveOptions,
): Promise<CurvePoint[]> {
  const memo = options.memo ?? new SelectionMemo(options);
  const meanValidation = meanLossTable(validationTables);
  const meanTest = meanLossTable(testTables);
  const budgets = options.budgets ?? defaultBudgets(meanValidation.taskNames.length);
  const points: CurvePoint[] = [];
  for (const [index, budget] of budgets.entries()) {
    options.onBudget?.(budget, index, budgets.length, 'the curve');
    const started = performance.now();
    const selection = await memo.select(meanValidation, budget);
    const seconds = (performance.now() - started) / 1000;
    const found = selection.groups.length > 0;
    const predicted = found
      ? replicatedTotal(testTables, servingOf(selection), options.level)
      : { mean: Infinity, low: NaN, high: NaN, n: 0, totals: [] };
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

/** A budget's evidence for the choice: one validation total per held-out seed. */
export interface BudgetEvidence {
  budget: number;
  totals: number[];
}

/**
 * Validation totals that the budget choice may use without scoring a selection on the rows that made it: leave one
 * seed out, select at every budget on the other seeds' mean validation losses and score that selection on the held-out
 * seed's validation losses. Test losses play no part. With one seed there is nothing to hold out: the selection is
 * scored on its own validation losses (in-sample, which favours larger budgets), and `scheme` says so.
 */
export async function heldOutValidationTotals(
  validationTables: readonly LossTable[],
  options: CurveOptions,
): Promise<{ scheme: string; evidence: BudgetEvidence[] }> {
  const taskCount = validationTables[0].taskNames.length;
  const budgets = options.budgets ?? defaultBudgets(taskCount);
  const nested = validationTables.length >= 2;
  const folds = nested
    ? validationTables.map((held, s) => ({ choose: validationTables.filter((_, k) => k !== s), score: held }))
    : [{ choose: validationTables, score: validationTables[0] }];
  const totals = budgets.map(() => [] as number[]);
  const memo = options.memo ?? new SelectionMemo(options);
  for (const [fold, { choose, score }] of folds.entries()) {
    const meanChosen = meanLossTable(choose);
    for (const [b, budget] of budgets.entries()) {
      options.onBudget?.(budget, b, budgets.length, `held-out seed ${fold + 1} of ${folds.length}`);
      const selection = await memo.select(meanChosen, budget);
      totals[b].push(selection.groups.length > 0 ? servedTotal(score, servingOf(selection)) : Infinity);
    }
  }
  const scheme = nested
    ? `nested: leave-one-seed-out on validation losses (each of ${validationTables.length} seeds scores the selection made on the others)`
    : 'in-sample validation losses (one seed: nothing to hold out, so larger budgets are favoured)';
  return { scheme, evidence: budgets.map((budget, b) => ({ budget, totals: totals[b] })) };
}

/**
 * The one-standard-error rule (Breiman et al. 1984, as in cross-validated model choice) on held-out validation totals:
 * the smallest budget whose total exceeds the best budget's by at most one standard error of their paired difference
 * over seeds. Fewer networks is the cheaper answer, so it wins whenever the data cannot tell it apart from the best.
 * (A 95% test would pick one network almost always with three seeds.) With a single seed: the smallest budget that
 * matches the best. Test losses never enter: they only score the choice.
 */
export function chooseBudget(evidence: readonly BudgetEvidence[], scheme: string): BudgetChoice {
  const feasible = evidence
    .filter((p) => p.totals.length > 0 && p.totals.every(Number.isFinite))
    .map((p) => ({ ...p, mean: mean(p.totals) }));
  if (feasible.length === 0) throw new RangeError('no budget has a feasible selection');
  const best = feasible.reduce((a, b) => (b.mean < a.mean ? b : a));
  const lowest = { budget: best.budget, reason: `budget ${best.budget} has the lowest validation total (${scheme})` };
  for (const point of [...feasible].sort((a, b) => a.budget - b.budget)) {
    if (point === best) return lowest;
    const differences = point.totals.map((t, r) => t - best.totals[r]);
    const excess = mean(differences);
    const standardError = sampleSd(differences) / Math.sqrt(differences.length);
    if (differences.length >= 2 ? excess <= standardError : excess <= 0)
      return {
        budget: point.budget,
        reason: `smallest budget within one standard error of the best (budget ${best.budget}) on validation: ${excess >= 0 ? '+' : ''}${excess.toFixed(4)} ± ${standardError.toFixed(4)} over ${differences.length} seeds (${scheme})`,
      };
  }
  return lowest;
}
