import { heuristicSelect, type HeuristicOptions } from './selectHeuristic.js';
import { ilpSelect, type IlpOptions } from './selectIlp.js';
import type { Selection, SelectionProblem, SelectionStatus } from './selection.js';
import { bruteForceSelect } from './selectBruteForce.js';
import { MAX_PARTITION_TASKS, partitionSelect } from './selectPartition.js';

export interface SelectOptions extends IlpOptions, HeuristicOptions {
  /**
   * 'auto': the exact partition search for unit-cost networks of up to MAX_PARTITION_TASKS tasks, else the exact ILP
   * up to `maxIlpCandidates` candidates, the heuristic beyond.
   */
  method?: 'auto' | SelectionMethod;
  maxIlpCandidates?: number;
}

/** One way to choose networks within a budget. */
export interface SelectionStrategy {
  select: (problem: SelectionProblem, budget: number, options: SelectOptions) => Selection | Promise<Selection>;
  /** Proves its answer optimal: only such methods may reproduce a published selection (`tra import --method`). */
  exact: boolean;
  /** How the outputs describe a selection made this way, by its status (`label` unless the status has its own). */
  label: string;
  statusLabels?: Partial<Record<SelectionStatus, string>>;
}

/**
 * Every selection method, by the name `--method` takes and the outputs record. Adding one here adds it to the CLI
 * choices, the dispatch and the report labels; its select function stamps the same name on its Selection.
 */
export const SELECTION_METHODS = {
  partition: { select: partitionSelect, exact: true, label: 'exact (partitions of the tasks, dynamic programming)' },
  ilp: {
    select: ilpSelect,
    exact: true,
    label: 'exact (ILP, HiGHS)',
    statusLabels: { feasible: 'ILP stopped at its time limit (best found, not proven optimal)' },
  },
  'brute-force': { select: bruteForceSelect, exact: true, label: 'exact (brute force)' },
  heuristic: { select: heuristicSelect, exact: false, label: 'heuristic (greedy with swaps, not proven optimal)' },
} satisfies Record<string, SelectionStrategy>;

export type SelectionMethod = keyof typeof SELECTION_METHODS;

/** The values `--method` accepts: 'auto' and every method, or only the exact ones. */
export const methodChoices = (exactOnly = false): string[] => [
  'auto',
  ...Object.entries(SELECTION_METHODS).flatMap(([name, s]) => (exactOnly && !s.exact ? [] : [name])),
];

/** What the outputs say about a selection: its method's label, or the label of its status. */
export function methodLabel(selection: Pick<Selection, 'method' | 'status'>): string {
  const strategy: SelectionStrategy = SELECTION_METHODS[selection.method];
  return strategy.statusLabels?.[selection.status] ?? strategy.label;
}

/**
 * Above this many candidates an ILP solve may take too long per budget. Measured with the wasm HiGHS at T = 14: all
 * 1470 groups of up to 4 tasks took 0.6-9 s of CPU per budget, the tightest feasible budgets being the slowest.
 */
export const DEFAULT_MAX_ILP_CANDIDATES = 2000;

/** The method 'auto' stands for on this problem. */
export function autoMethod(
  problem: SelectionProblem,
  options: Pick<SelectOptions, 'maxIlpCandidates'> = {},
): SelectionMethod {
  if (problem.taskCount <= MAX_PARTITION_TASKS && problem.candidates.every((c) => c.cost === 1)) return 'partition';
  return problem.candidates.length > (options.maxIlpCandidates ?? DEFAULT_MAX_ILP_CANDIDATES) ? 'heuristic' : 'ilp';
}

/** Best networks within `budget`; the result says which method produced it and whether it is proven optimal. */
export async function selectNetworks(
  problem: SelectionProblem,
  budget: number,
  options: SelectOptions = {},
): Promise<Selection> {
  const requested = options.method ?? 'auto';
  const method = requested !== 'auto' ? requested : autoMethod(problem, options);
  const strategy: SelectionStrategy = SELECTION_METHODS[method];
  return strategy.select(problem, budget, options);
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
