import { seededRandom, type Random } from '../data/random.js';
import { servingOf } from '../grouping/curve.js';
import { denseLosses, largestAbsLoss, toSelection, type SelectionProblem } from '../grouping/selection.js';
import type { Serving } from '../grouping/serving.js';

/**
 * A fast selection at every budget for the allocation's many drawn tables: greedy additions, then best-improvement
 * swaps (one network out, one in) until none lowers the total, each budget starting from the previous budget's answer.
 * Unit costs only (the allocation's candidates all cost one network). Not proven optimal: the decision a run reports
 * is made by the exact solver (grouping/select.ts); this one only has to find the same contenders quickly.
 *
 * Swaps are scored in O(T) each from every task's best and second-best loss among the chosen networks, with no
 * allocation inside the loops (the generic heuristic rebuilds sets per move, which dominated a round's time).
 */
export function fastServings(
  problem: SelectionProblem,
  budgets: readonly number[],
  kicks = 8,
  random: Random = seededRandom(1, 31),
): (Serving | undefined)[] {
  const rows = denseLosses(problem);
  const T = problem.taskCount;
  const n = rows.length;
  // larger than any difference between served totals, yet small enough that sums keep their precision (1e12 did not)
  const penalty = 2 * T * largestAbsLoss(problem) + 1;
  const chosen: number[] = [];
  const inSet = new Uint8Array(n);
  const best = new Float64Array(T);
  const owner = new Int32Array(T);
  const second = new Float64Array(T);
  const refresh = (): number => {
    best.fill(Infinity);
    second.fill(Infinity);
    owner.fill(-1);
    for (const c of chosen)
      for (let t = 0; t < T; t++) {
        const l = rows[c][t];
        if (l < best[t]) {
          second[t] = best[t];
          best[t] = l;
          owner[t] = c;
        } else if (l < second[t]) second[t] = l;
      }
    let total = 0;
    for (let t = 0; t < T; t++) total += cost(best[t]);
    return total;
  };
  const cost = (l: number): number => (l === Infinity ? penalty : l);
  /** Total after removing `out` (-1: nothing) and adding `into` (-1: nothing), in O(tasks of `into`). */
  const totalWith = (current: number, out: number, into: number): number => {
    let total = current + (out >= 0 ? removal[out] : 0);
    if (into < 0) return total;
    const { group, loss } = problem.candidates[into];
    for (let k = 0; k < group.length; k++) {
      const t = group[k];
      const served = owner[t] === out ? second[t] : best[t];
      if (loss[k] < served) total += loss[k] - cost(served);
    }
    return total;
  };
  /** Per candidate, what removing it from the chosen set adds to the total (0 for those not chosen). */
  const removal = new Float64Array(n);
  const refreshRemoval = (): void => {
    removal.fill(0);
    for (let t = 0; t < T; t++) if (owner[t] >= 0) removal[owner[t]] += cost(second[t]) - best[t];
  };
  const load = (set: readonly number[]): void => {
    for (const c of chosen) inSet[c] = 0;
    chosen.length = 0;
    for (const c of set) {
      chosen.push(c);
      inSet[c] = 1;
    }
  };
  /** Greedy additions up to `budget`, then best-improvement swaps, from `start`. */
  const search = (start: readonly number[], budget: number): number => {
    load(start);
    let total = refresh();
    while (chosen.length < budget) {
      let pick = -1;
      let value = total;
      for (let c = 0; c < n; c++) {
        if (inSet[c]) continue;
        const v = totalWith(total, -1, c);
        if (v < value - 1e-12) {
          value = v;
          pick = c;
        }
      }
      if (pick < 0) break;
      chosen.push(pick);
      inSet[pick] = 1;
      total = refresh();
    }
    refreshRemoval();
    for (;;) {
      let move: [number, number] = [-1, -1];
      let value = total;
      for (let k = 0; k < chosen.length; k++)
        for (let c = 0; c < n; c++) {
          if (inSet[c]) continue;
          const v = totalWith(total, chosen[k], c);
          if (v < value - 1e-12) {
            value = v;
            move = [k, c];
          }
        }
      if (move[0] < 0) break;
      inSet[chosen[move[0]]] = 0;
      chosen[move[0]] = move[1];
      inSet[move[1]] = 1;
      total = refresh();
      refreshRemoval();
    }
    return total;
  };
  const out: (Serving | undefined)[] = [];
  let previous: number[] = [];
  for (const budget of budgets) {
    // two starts: the previous budget's answer (budgets nest closely) and an empty set (greedy from scratch)
    const fromPrevious = search(previous, budget);
    const warm = [...chosen];
    const fromScratch = search([], budget);
    let bestSet = fromPrevious < fromScratch ? warm : [...chosen];
    let bestTotal = Math.min(fromPrevious, fromScratch);
    // iterated local search: swap one network for a random other, search again; keep the best
    for (let kick = 0; kick < kicks && bestSet.length > 0; kick++) {
      const kicked = [...bestSet];
      kicked[Math.floor(random() * kicked.length)] = Math.floor(random() * n);
      const value = search([...new Set(kicked)], budget);
      if (value < bestTotal - 1e-12) {
        bestTotal = value;
        bestSet = [...chosen];
      }
    }
    load(bestSet);
    refresh();
    previous = [...chosen];
    const covered = best.every((l) => l < Infinity);
    out.push(covered ? servingOf(toSelection(problem, budget, 'heuristic', 'feasible', chosen)) : undefined);
  }
  return out;
}
