import { solver } from '../math/highs.js';
import { largestAbsLoss, provablyInfeasible, toSelection, type Selection, type SelectionProblem } from './selection.js';

const term = (coefficient: number, name: string): string =>
  `${coefficient < 0 ? '-' : '+'} ${Math.abs(coefficient)} ${name}`;

/**
 * Standley et al.'s network selection as an ILP in CPLEX LP format: x_g = 1 when candidate g is trained, z_g_i = 1 when
 * it serves task i; every task served once, only by a trained network that contains it, total cost within budget,
 * minimise the served losses. z may be continuous: once x is fixed, the assignment LP has an integral optimum (each
 * task at its best trained network), so the solver branches only on the x.
 */
export function selectionLp(problem: SelectionProblem, budget: number): string {
  const { candidates, taskCount } = problem;
  // Losses are divided by the largest one: HiGHS's tolerances are absolute, so tiny losses (say MSE ~1e-6) would
  // otherwise fall below them. The reported totals come from the table, not from the solver's objective.
  const scale = largestAbsLoss(problem) || 1;
  const objective: string[] = [];
  const serve: string[][] = Array.from({ length: taskCount }, () => []);
  const link: string[] = [];
  candidates.forEach(({ group, loss }, g) =>
    group.forEach((task, k) => {
      const z = `z${g}_${task}`;
      objective.push(` ${term(loss[k] / scale, z)}`);
      serve[task].push(`+ ${z}`);
      link.push(` link${g}_${task}: ${z} - x${g} <= 0`);
    }),
  );
  const budgetRow = candidates.map(({ cost }, g) => ` ${term(cost, `x${g}`)}`);
  return [
    'Minimize',
    ' loss:',
    ...objective,
    'Subject To',
    ...serve.map((terms, task) => ` serve${task}: ${terms.join(' ')} = 1`),
    ...link,
    ' budget:',
    ...budgetRow,
    ` <= ${budget}`,
    'Bounds',
    ...candidates.flatMap(({ group }, g) => group.map((task) => ` 0 <= z${g}_${task} <= 1`)),
    'Binary',
    ...candidates.map((_, g) => ` x${g}`),
    'End',
    '',
  ].join('\n');
}

export interface IlpOptions {
  /** Stop HiGHS after this many seconds; the best selection found by then is returned as 'feasible' ('not-found' if none). */
  timeLimitSeconds?: number;
}

/** Exact selection with HiGHS. */
export async function ilpSelect(
  problem: SelectionProblem,
  budget: number,
  options: IlpOptions = {},
): Promise<Selection> {
  if (provablyInfeasible(problem, budget)) return toSelection(problem, budget, 'ilp', 'infeasible', []);
  const result = (await solver()).solve(selectionLp(problem, budget), {
    output_flag: false,
    // HiGHS stops at a 1e-4 relative gap by default; 'optimal' here should mean optimal, as brute force would find.
    mip_rel_gap: 0,
    mip_abs_gap: 1e-9,
    ...(options.timeLimitSeconds === undefined ? {} : { time_limit: options.timeLimitSeconds }),
  });
  if (result.Status === 'Infeasible') return toSelection(problem, budget, 'ilp', 'infeasible', []);
  const chosen = problem.candidates.flatMap((_, g) => ((result.Columns[`x${g}`]?.Primal ?? 0) > 0.5 ? [g] : []));
  if (result.Status === 'Optimal') return toSelection(problem, budget, 'ilp', 'optimal', chosen);
  if (result.Status === 'Time limit reached')
    return toSelection(problem, budget, 'ilp', chosen.length > 0 ? 'feasible' : 'not-found', chosen);
  throw new Error(`HiGHS ended with status '${result.Status}' at budget ${budget}`);
}
