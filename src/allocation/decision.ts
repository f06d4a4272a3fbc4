import { normalSampler, seededRandom } from '../data/random.js';
import { candidateTable } from '../grouping/candidates.js';
import type { LossTable } from '../grouping/lossTable.js';
import { selectionProblem } from '../grouping/selection.js';
import { sameServing, servedTotal, type Serving } from '../grouping/serving.js';
import { meanTable, type PairCells } from './cells.js';
import { fastServings } from './fastSelect.js';

export interface DecisionOptions {
  budgets: number[];
  maxGroupSize: number;
  /** Plausible tables drawn from the cells' uncertainty (default 16). */
  draws?: number;
  seed?: number;
  /**
   * The indifference zone: per directed cell, the standard error a full sweep of the definition's seeds would give it,
   * and how many of the resulting standard errors of a difference between two servings make it matter. A draw's regret
   * counts only beyond that margin (contenders closer than it are equivalent), as in ranking-and-selection procedures.
   */
  indifference?: { fullSweepSe: number[][]; standardErrors: number };
}

/** One budget's decision and how firm it is under the cells' uncertainty. */
export interface BudgetUncertainty {
  budget: number;
  serving: Serving;
  /** Share of the draws whose best selection is this one. */
  agreement: number;
  /**
   * Mean over the draws of how much worse this selection is than the draw's best (summed validation loss), beyond the
   * indifference margin when there is one.
   */
  expectedRegret: number;
}

export interface DecisionUncertainty {
  budgets: BudgetUncertainty[];
  /** Mean over budgets of the expected regret: what deciding now is expected to cost. NaN while no cell has a noise estimate. */
  expectedRegret: number;
  /**
   * Per directed cell, the expected share of the decision's doubt that one more training of the pair removes, weighted
   * by the regret at stake: the allocation trains the pairs with the largest values first.
   */
  value: number[][];
  draws: number;
}

/** The selection at every budget by the fast local search (fastSelect.ts): quick enough to repeat over many drawn tables. */
function servings(table: LossTable, options: DecisionOptions): Serving[] {
  const found = fastServings(selectionProblem(candidateTable(table, options.maxGroupSize)), options.budgets);
  return found.map((serving, b) => {
    if (!serving) throw new RangeError(`no selection serves every task within budget ${options.budgets[b]}`);
    return serving;
  });
}

/**
 * How much each directed pair cell weighs in a serving's total: a task served by a group of m ≥ 2 tasks has the mean of
 * its m − 1 pair losses in it (Standley's approximation), so the total is the sum of singles minus Σ w_ij d_ij.
 */
export function cellWeights(serving: Serving, taskCount: number): number[][] {
  const weights = Array.from({ length: taskCount }, () => new Array<number>(taskCount).fill(0));
  serving.assignment.forEach((network, task) => {
    const group = serving.groups[network];
    if (group.length < 2) return;
    for (const other of group) if (other !== task) weights[task][other] += 1 / (group.length - 1);
  });
  return weights;
}

/** How much one more training of the pair shrinks a cell's variance (loss units squared). */
function varianceReduction(cells: PairCells, i: number, j: number): number {
  const cell = cells.cells[i][j];
  if (!cell) return 0;
  if (cell.source === 'measured') return cell.se ** 2 / (cell.seeds + 1);
  const afterOne = cells.noise[i];
  return Number.isFinite(afterOne) ? Math.max(0, cell.se ** 2 - afterOne ** 2) : cell.se ** 2;
}

/**
 * The decision at every budget on the cells' means, and how firm it is: tables drawn from the cells' uncertainty
 * (each difference plus its standard error times a standard normal) are re-selected, and each budget's current choice
 * is scored against every draw's best on that draw. Without any noise estimate yet (one seed), the value of a cell is
 * its weight in the current decisions, and the expected regret is NaN.
 */
export async function decisionUncertainty(
  cells: PairCells,
  taskNames: string[],
  options: DecisionOptions,
): Promise<DecisionUncertainty> {
  const T = cells.taskCount;
  const current = servings(meanTable(cells, taskNames), options);
  const currentWeights = current.map((s) => cellWeights(s, T));
  const value = Array.from({ length: T }, () => new Array<number>(T).fill(0));
  const known = cells.cells.every((row, i) => row.every((c, j) => i === j || (c !== null && Number.isFinite(c.se))));
  if (!known) {
    for (const w of currentWeights) w.forEach((row, i) => row.forEach((x, j) => (value[i][j] += x)));
    return {
      budgets: current.map((serving, b) => ({
        budget: options.budgets[b],
        serving,
        agreement: NaN,
        expectedRegret: NaN,
      })),
      expectedRegret: NaN,
      value,
      draws: 0,
    };
  }
  const draws = options.draws ?? 16;
  const normal = normalSampler(seededRandom(options.seed ?? 0, 21));
  const reduction = cells.cells.map((row, i) => row.map((_, j) => (i === j ? 0 : varianceReduction(cells, i, j))));
  const agree = new Array<number>(current.length).fill(0);
  const regret = new Array<number>(current.length).fill(0);
  for (let k = 0; k < draws; k++) {
    const noise = cells.cells.map((row) => row.map((cell) => (cell ? cell.se * normal() : 0)));
    const table = meanTable(cells, taskNames, (i, j) => noise[i][j]);
    const best = servings(table, options);
    for (let b = 0; b < current.length; b++) {
      if (sameServing(best[b], current[b])) {
        agree[b]++;
        continue;
      }
      const other = cellWeights(best[b], T);
      let variance = 0;
      let fullSweepVariance = 0;
      const delta = other.map((row, i) =>
        row.map((w, j) => {
          const d = w - currentWeights[b][i][j];
          const cell = cells.cells[i][j];
          if (d !== 0 && cell) variance += d * d * cell.se ** 2;
          if (d !== 0 && options.indifference) fullSweepVariance += d * d * options.indifference.fullSweepSe[i][j] ** 2;
          return d;
        }),
      );
      const margin = options.indifference ? options.indifference.standardErrors * Math.sqrt(fullSweepVariance) : 0;
      const r = Math.max(0, servedTotal(table, current[b]) - servedTotal(table, best[b]) - margin);
      regret[b] += r;
      if (r === 0) continue;
      if (variance > 0)
        delta.forEach((row, i) =>
          row.forEach((d, j) => {
            if (d !== 0) value[i][j] += (r * d * d * reduction[i][j]) / variance;
          }),
        );
    }
  }
  const budgets = current.map((serving, b) => ({
    budget: options.budgets[b],
    serving,
    agreement: agree[b] / draws,
    expectedRegret: regret[b] / draws,
  }));
  return {
    budgets,
    expectedRegret: budgets.reduce((s, b) => s + b.expectedRegret, 0) / budgets.length,
    value: value.map((row) => row.map((v) => v / draws)),
    draws,
  };
}
