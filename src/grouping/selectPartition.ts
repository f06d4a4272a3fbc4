import { InputError } from '../data/errors.js';
import { toSelection, type Selection, type SelectionProblem } from './selection.js';

/**
 * Exact selection by dynamic programming over subsets of the tasks, for unit-cost candidates. An optimal selection's
 * networks split the tasks into the sets each one serves, so the optimum over at most k networks is the best partition
 * of the tasks into at most k parts, a part P costing best(P) = the lowest sum of P's losses in any candidate that
 * contains P. best() takes one pass over every candidate's subsets (Σ 2^|group|, 3^T for every group of T tasks) and
 * the partitions one pass per budget over every subset's subsets (3^T / 2), whatever the number of candidates: at
 * T = 14 the whole curve over all 16,383 groups takes well under a second, where an ILP of as many columns would not
 * be proven optimal in minutes. Standley et al.'s main.cpp searches the same space by branch and bound over networks.
 */

interface Layers {
  /** best[P]: lowest total of part P's losses in one candidate; by[P]: that candidate (-1: none contains P). */
  best: Float64Array;
  by: Int32Array;
  /** f[k - 1][S]: optimum serving task set S with at most k networks; cut[k - 1][S]: its part holding S's lowest task (0: k - 1 networks suffice). */
  f: Float64Array[];
  cut: Int32Array[];
}

/** Above this many tasks the subset tables (2^T entries per budget) and 3^T passes stop being quick. */
export const MAX_PARTITION_TASKS = 16;

const layersOf = new WeakMap<SelectionProblem, Layers>();

function partBests(problem: SelectionProblem): Pick<Layers, 'best' | 'by'> {
  const size = 1 << problem.taskCount;
  const best = new Float64Array(size).fill(Infinity);
  const by = new Int32Array(size).fill(-1);
  problem.candidates.forEach(({ group, loss }, c) => {
    const subsets = 1 << group.length;
    const sum = new Float64Array(subsets);
    const mask = new Int32Array(subsets);
    for (let sub = 1; sub < subsets; sub++) {
      const low = 31 - Math.clz32(sub & -sub);
      const rest = sub & (sub - 1);
      sum[sub] = sum[rest] + loss[low];
      mask[sub] = mask[rest] | (1 << group[low]);
      // strict: among equal totals the lower candidate index serves, as in toSelection
      if (sum[sub] < best[mask[sub]]) {
        best[mask[sub]] = sum[sub];
        by[mask[sub]] = c;
      }
    }
  });
  return { best, by };
}

/** The layers up to `networks` networks, computed once per problem and extended on demand. */
function layers(problem: SelectionProblem, networks: number): Layers {
  let state = layersOf.get(problem);
  if (!state) {
    const { best, by } = partBests(problem);
    state = { best, by, f: [best], cut: [new Int32Array(best.length).fill(0)] };
    layersOf.set(problem, state);
  }
  const { best, f, cut } = state;
  const size = best.length;
  while (f.length < networks) {
    const previous = f[f.length - 1];
    const next = new Float64Array(size);
    const part = new Int32Array(size);
    next[0] = 0;
    for (let set = 1; set < size; set++) {
      let value = previous[set];
      let chosen = 0;
      const low = set & -set;
      const rest = set ^ low;
      // every part P of `set` that holds its lowest task, the remainder served by one network fewer
      for (let sub = rest; ; sub = (sub - 1) & rest) {
        const p = sub | low;
        if (p !== set) {
          const v = best[p] + previous[set ^ p];
          if (v < value) {
            value = v;
            chosen = p;
          }
        }
        if (sub === 0) break;
      }
      next[set] = value;
      part[set] = chosen;
    }
    f.push(next);
    cut.push(part);
  }
  return state;
}

export function partitionSelect(problem: SelectionProblem, budget: number): Selection {
  const { taskCount, candidates } = problem;
  if (taskCount > MAX_PARTITION_TASKS)
    throw new InputError(
      `--method partition: handles up to ${MAX_PARTITION_TASKS} tasks, this problem has ${taskCount} (use ilp or auto)`,
    );
  if (candidates.some((c) => c.cost !== 1))
    throw new InputError('--method partition: needs networks that cost 1 each, and these are priced (use ilp or auto)');
  const networks = Math.min(taskCount, Math.floor(budget + 1e-9));
  if (networks < 1) return toSelection(problem, budget, 'partition', 'infeasible', []);
  const { by, f, cut } = layers(problem, networks);
  let set = (1 << taskCount) - 1;
  if (f[networks - 1][set] === Infinity) return toSelection(problem, budget, 'partition', 'infeasible', []);
  const chosen = new Set<number>();
  for (let k = networks; set !== 0; k--) {
    const part = k === 1 ? set : cut[k - 1][set];
    if (part === 0) continue;
    chosen.add(by[part]);
    set ^= part;
  }
  return toSelection(problem, budget, 'partition', 'optimal', [...chosen]);
}
