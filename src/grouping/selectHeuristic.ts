import { seededRandom } from '../data/random.js';
import { MaxHeap } from '../math/maxHeap.js';
import {
  fitsBudget,
  largestAbsLoss,
  provablyInfeasible,
  toSelection,
  type Selection,
  type SelectionProblem,
} from './selection.js';

export interface HeuristicOptions {
  /** Perturbation rounds after the first local optimum (iterated local search); default: kicksFor(candidates). */
  restarts?: number;
  seed?: number;
}

/**
 * Kicks by default: 30, fewer beyond 20,000 candidates (~200 tasks' pairs) so that their work stays that of 30 kicks
 * at 20,000, down to 3. Each costs a local search, a pass over every candidate per move: at 1000 tasks (501,138
 * candidates) 30 kicks took 6-13 s a budget and improved none of budgets 1, 10 and 100 of a planted table; a curve,
 * its held-out seeds and its bootstrap resamples select a hundred times or more.
 */
export const kicksFor = (candidates: number): number =>
  Math.max(3, Math.min(30, Math.floor((30 * 20_000) / candidates)));

/** The candidates' groups and losses in flat arrays: candidate c's tasks are task[start[c]..start[c + 1]). */
interface Flat {
  start: Int32Array;
  task: Int32Array;
  loss: Float64Array;
  cost: Float64Array;
}

function flatten({ candidates }: SelectionProblem): Flat {
  const start = new Int32Array(candidates.length + 1);
  candidates.forEach((c, i) => (start[i + 1] = start[i] + c.group.length));
  const task = new Int32Array(start[candidates.length]);
  const loss = new Float64Array(start[candidates.length]);
  candidates.forEach((c, i) => {
    task.set(c.group, start[i]);
    loss.set(c.loss, start[i]);
  });
  return { start, task, loss, cost: Float64Array.from(candidates, (c) => c.cost) };
}

/** A set of chosen networks and, per task, its lowest and second-lowest loss in the set and the network giving the lowest. */
interface Served {
  set: number[];
  spent: number;
  /** The objective: the sum of the lowest losses, an unserved task counting `penalty`. */
  value: number;
  first: Float64Array;
  second: Float64Array;
  by: Int32Array;
}

/**
 * Fallback when the ILP would be too large: greedy construction, best-improvement local search over adding or
 * swapping one network within the budget, then iterated local search (drop one or two networks at random, refill
 * greedily without them, search again, keep the best). Not guaranteed optimal (status 'feasible'). An unserved task is
 * charged a penalty larger than any difference between served totals, so covering every task comes first.
 *
 * A move is priced on the tasks of the network it adds (and, for a swap, those the dropped one served best), from each
 * task's lowest and second-lowest loss in the set: one pass over the candidates' groups per move, not one per
 * candidate, task and dropped network. At 1000 tasks (500,500 pairs) a dense loss matrix per candidate took 4 GB and
 * one budget minutes.
 */
export function heuristicSelect(problem: SelectionProblem, budget: number, options: HeuristicOptions = {}): Selection {
  if (provablyInfeasible(problem, budget)) return toSelection(problem, budget, 'heuristic', 'infeasible', []);
  const { taskCount } = problem;
  const count = problem.candidates.length;
  const { start, task, loss, cost } = flatten(problem);
  const penalty = 2 * taskCount * largestAbsLoss(problem) + 1;
  const servedLoss = (l: number): number => (l === Infinity ? penalty : l);

  const serve = (set: number[]): Served => {
    const first = new Float64Array(taskCount).fill(Infinity);
    const second = new Float64Array(taskCount).fill(Infinity);
    const by = new Int32Array(taskCount).fill(-1);
    let spent = 0;
    for (const c of set) {
      spent += cost[c];
      for (let k = start[c]; k < start[c + 1]; k++) {
        const t = task[k];
        if (loss[k] < first[t]) {
          second[t] = first[t];
          first[t] = loss[k];
          by[t] = c;
        } else if (loss[k] < second[t]) second[t] = loss[k];
      }
    }
    let value = 0;
    for (let t = 0; t < taskCount; t++) value += servedLoss(first[t]);
    return { set, spent, value, first, second, by };
  };
  /** How much adding `c` lowers the objective; with `dropped` (a member) taken out first. */
  const gain = (s: Served, c: number, dropped = -1): number => {
    let total = 0;
    for (let k = start[c]; k < start[c + 1]; k++) {
      const t = task[k];
      const lowest = s.by[t] === dropped && dropped >= 0 ? s.second[t] : s.first[t];
      if (loss[k] < lowest) total += servedLoss(lowest) - loss[k];
    }
    return total;
  };

  /**
   * Adds the network with the largest decrease per unit cost (the lowest index among equals), never one of `barred`,
   * while one fits and helps. Lazily (Minoux's accelerated greedy): a network's decrease only shrinks as the set grows
   * (each task's lowest loss only falls, and rounding keeps that order), so a decrease computed earlier bounds the one
   * now; the heap's top, recomputed, is the pick once it still beats the next one's bound. The same picks as computing
   * every network's decrease at every step, which took 1000 passes over 501,138 candidates at budget 1000.
   */
  const greedyFill = (initial: number[], barred: ReadonlySet<number> = new Set()): Served => {
    let s = serve(initial);
    const member = new Set(s.set);
    const heap = new MaxHeap(count);
    for (let c = 0; c < count; c++) {
      if (member.has(c) || barred.has(c) || !fitsBudget(s.spent + cost[c], budget)) continue;
      const rate = gain(s, c) / cost[c];
      if (rate > 0) heap.push(rate, c);
    }
    for (;;) {
      let pick = -1;
      while (heap.size > 0) {
        const c = heap.topIndex;
        heap.pop();
        // spending only grows and decreases only shrink: a network that does not fit or help now never will
        if (!fitsBudget(s.spent + cost[c], budget)) continue;
        const rate = gain(s, c) / cost[c];
        if (!(rate > 0)) continue;
        if (heap.size === 0 || MaxHeap.before(rate, c, heap.topValue, heap.topIndex)) {
          pick = c;
          break;
        }
        heap.push(rate, c);
      }
      if (pick < 0) return s;
      s = serve([...s.set, pick]);
    }
  };

  /**
   * Applies the best of all add and swap (drop one, add one) moves while it improves. A drop alone never lowers the
   * objective (each task keeps its best remaining loss or pays the penalty), so it is only a swap's first half. For a
   * network c, the best swap drops the member cheapest to lose among those serving none of c's tasks (c's gain does not
   * depend on which), or one of the few members that serve c's tasks, priced one by one.
   */
  // the local search's scratch, made once: at 500,000 candidates a fresh stamp array per move was most of its garbage
  const member = new Uint8Array(count);
  const removal = new Float64Array(count);
  /** serving[d] === mark: member d serves one of the current candidate's tasks best (a stamp, not a set per candidate). */
  const serving = new Float64Array(count);
  let mark = 0;
  const servers = new Int32Array(taskCount);
  const localSearch = (initial: Served): Served => {
    let s = initial;
    for (;;) {
      for (const d of s.set) {
        member[d] = 1;
        removal[d] = 0;
      }
      for (let t = 0; t < taskCount; t++)
        if (s.by[t] >= 0) removal[s.by[t]] = removal[s.by[t]] + servedLoss(s.second[t]) - servedLoss(s.first[t]);
      const drops = s.set.map((d) => [d, removal[d]] as const).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      let best = { delta: 0, drop: -1, add: -1 };
      const offer = (delta: number, drop: number, add: number): void => {
        if (delta < best.delta - 1e-12) best = { delta, drop, add };
      };
      for (let c = 0; c < count; c++) {
        if (member[c]) continue;
        const g = gain(s, c);
        if (fitsBudget(s.spent + cost[c], budget)) offer(-g, -1, c);
        mark++;
        let found = 0;
        for (let k = start[c]; k < start[c + 1]; k++) {
          const d = s.by[task[k]];
          if (d >= 0 && serving[d] !== mark) {
            serving[d] = mark;
            servers[found++] = d;
          }
        }
        for (const [d, lost] of drops) {
          if (serving[d] === mark || !fitsBudget(s.spent - cost[d] + cost[c], budget)) continue;
          offer(lost - g, d, c);
          break;
        }
        for (let k = 0; k < found; k++) {
          const d = servers[k];
          if (fitsBudget(s.spent - cost[d] + cost[c], budget)) offer(removal[d] - gain(s, c, d), d, c);
        }
      }
      for (const d of s.set) member[d] = 0;
      if (best.add < 0) return s;
      s = serve([...s.set.filter((c) => c !== best.drop), best.add]);
    }
  };

  // Kick: drop one or two random networks and refill without them (the plain greedy would put them straight back).
  const random = seededRandom(options.seed ?? 1, 11);
  let best = localSearch(greedyFill([]));
  for (let round = 0; round < (options.restarts ?? kicksFor(count)) && best.set.length > 0; round++) {
    const dropped = new Set([
      best.set[Math.floor(random() * best.set.length)],
      best.set[Math.floor(random() * best.set.length)],
    ]);
    const next = localSearch(
      greedyFill(
        best.set.filter((c) => !dropped.has(c)),
        dropped,
      ),
    );
    if (next.value < best.value - 1e-12) best = next;
  }
  const covered = best.first.every((l) => l < Infinity);
  return toSelection(problem, budget, 'heuristic', covered ? 'feasible' : 'not-found', best.set);
}
