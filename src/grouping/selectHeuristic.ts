import { seededRandom } from '../data/random.js';
import {
  denseLosses,
  fitsBudget,
  largestAbsLoss,
  provablyInfeasible,
  toSelection,
  type Selection,
  type SelectionProblem,
} from './selection.js';

export interface HeuristicOptions {
  /** Perturbation rounds after the first local optimum (iterated local search). */
  restarts?: number;
  seed?: number;
}

/**
 * Fallback when the ILP would be too large: greedy construction, best-improvement local search over adding or
 * swapping one network within the budget, then iterated local search (drop one or two networks at random, refill
 * greedily without them, search again, keep the best). Not guaranteed optimal (status 'feasible'). An unserved task is
 * charged a penalty larger than any difference between served totals, so covering every task comes first.
 */
export function heuristicSelect(problem: SelectionProblem, budget: number, options: HeuristicOptions = {}): Selection {
  if (provablyInfeasible(problem, budget)) return toSelection(problem, budget, 'heuristic', 'infeasible', []);
  const rows = denseLosses(problem);
  const { candidates, taskCount } = problem;
  const penalty = 2 * taskCount * largestAbsLoss(problem) + 1;
  const serve = (set: readonly number[]): Float64Array => {
    const served = new Float64Array(taskCount).fill(Infinity);
    for (const c of set) for (let t = 0; t < taskCount; t++) if (rows[c][t] < served[t]) served[t] = rows[c][t];
    return served;
  };
  /** Objective of `served` with network `extra` added (-1: none). */
  const objective = (served: Float64Array, extra: number): number => {
    let total = 0;
    for (let t = 0; t < taskCount; t++) {
      const l = extra < 0 ? served[t] : Math.min(served[t], rows[extra][t]);
      total += l === Infinity ? penalty : l;
    }
    return total;
  };
  const costOf = (set: readonly number[]): number => set.reduce((s, c) => s + candidates[c].cost, 0);

  /** Adds the network with the largest decrease per unit cost, never one of `barred`, while one fits and helps. */
  const greedyFill = (start: number[], barred: readonly number[] = []): number[] => {
    let set = start;
    for (;;) {
      const served = serve(set);
      const current = objective(served, -1);
      const spent = costOf(set);
      let best = { c: -1, rate: 0 };
      candidates.forEach((cand, c) => {
        if (set.includes(c) || barred.includes(c) || !fitsBudget(spent + cand.cost, budget)) return;
        const rate = (current - objective(served, c)) / cand.cost;
        if (rate > best.rate) best = { c, rate };
      });
      if (best.c < 0) return set;
      set = [...set, best.c];
    }
  };

  /**
   * Applies the best of all add and swap (drop one, add one) moves while it improves. A drop alone never lowers the
   * objective (each task keeps its best remaining loss or pays the penalty), so it is only a swap's first half.
   */
  const localSearch = (start: number[]): { set: number[]; value: number } => {
    let current = { set: start, value: objective(serve(start), -1) };
    for (;;) {
      let best = current;
      const consider = (without: number[]): void => {
        const served = serve(without);
        const spent = costOf(without);
        candidates.forEach((cand, c) => {
          if (without.includes(c) || !fitsBudget(spent + cand.cost, budget)) return;
          const withC = objective(served, c);
          if (withC < best.value - 1e-12) best = { value: withC, set: [...without, c] };
        });
      };
      consider(current.set);
      for (const drop of current.set) consider(current.set.filter((c) => c !== drop));
      if (best === current) return current;
      current = best;
    }
  };

  // Kick: drop one or two random networks and refill without them (the plain greedy would put them straight back).
  const random = seededRandom(options.seed ?? 1, 11);
  let best = localSearch(greedyFill([]));
  for (let round = 0; round < (options.restarts ?? 30) && best.set.length > 0; round++) {
    const dropped = new Set([
      best.set[Math.floor(random() * best.set.length)],
      best.set[Math.floor(random() * best.set.length)],
    ]);
    const next = localSearch(
      greedyFill(
        best.set.filter((c) => !dropped.has(c)),
        [...dropped],
      ),
    );
    if (next.value < best.value - 1e-12) best = next;
  }
  const covered = serve(best.set).every((l) => l < Infinity);
  return toSelection(problem, budget, 'heuristic', covered ? 'feasible' : 'not-found', best.set);
}
