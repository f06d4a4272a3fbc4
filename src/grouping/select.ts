import { heuristicSelect, type HeuristicOptions } from './selectHeuristic.js';
import { ilpSelect, type IlpOptions } from './selectIlp.js';
import type { Selection, SelectionMethod, SelectionProblem } from './selection.js';
import { bruteForceSelect } from './selectBruteForce.js';

export interface SelectOptions extends IlpOptions, HeuristicOptions {
  /** 'auto': the exact ILP up to `maxIlpCandidates` candidates, the heuristic beyond. */
  method?: 'auto' | SelectionMethod;
  maxIlpCandidates?: number;
}

/**
 * Above this many candidates an ILP solve may take too long per budget. Measured with the wasm HiGHS at T = 14: all
 * 1470 groups of up to 4 tasks took 0.6-9 s of CPU per budget, the tightest feasible budgets being the slowest.
 */
export const DEFAULT_MAX_ILP_CANDIDATES = 2000;

/** Best networks within `budget`; the result says which method produced it and whether it is proven optimal. */
export async function selectNetworks(problem: SelectionProblem, budget: number, options: SelectOptions = {}): Promise<Selection> {
  const method = options.method ?? 'auto';
  if (method === 'brute-force') return bruteForceSelect(problem, budget);
  if (method === 'heuristic') return heuristicSelect(problem, budget, options);
  if (method === 'auto' && problem.candidates.length > (options.maxIlpCandidates ?? DEFAULT_MAX_ILP_CANDIDATES)) return heuristicSelect(problem, budget, options);
  return ilpSelect(problem, budget, options);
}

/** Budget-versus-loss curve: the selection at every budget, by default 1, 2, ..., number of tasks. */
export async function budgetCurve(
  problem: SelectionProblem,
  options: SelectOptions & { budgets?: number[] } = {},
): Promise<Selection[]> {
  const budgets = options.budgets ?? Array.from({ length: problem.taskCount }, (_, b) => b + 1);
  const curve: Selection[] = [];
  for (const budget of budgets) curve.push(await selectNetworks(problem, budget, options));
  return curve;
}
