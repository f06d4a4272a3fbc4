import { solver } from '../math/highs.js';

/** One way to serve a target from other tasks' frozen encoders: a readout on the concatenated trunks of `sources`. */
export interface TransferOption {
  /** Sorted task indices, never the target itself; their count is the transfer's order. */
  sources: number[];
  /** Normalised performance (AHP weight) for the target: higher is better. */
  score: number;
}

/** What the budgeted selection chooses from, per target task. */
export interface TaxonomyProblem {
  /** Score of each task's own network: what it gets when it is supervised (a source) itself. */
  ownScore: number[];
  /** Per target, its transfer options (first- and higher-order). */
  transfers: TransferOption[][];
}

export interface ServedTarget {
  target: number;
  /** [target] when the task is a source and serves itself with its own network. */
  sources: number[];
  own: boolean;
  score: number;
}

export interface TaxonomyChoice {
  budget: number;
  /** Supervised tasks (trained from scratch), ascending. */
  sources: number[];
  served: ServedTarget[];
  /** Sum of the served scores: the objective. */
  total: number;
}

/**
 * Given the supervised tasks, each one serves itself and every other target takes its best transfer whose sources are
 * all supervised (ties: the first listed). Every solver reports its answer in this canonical form.
 */
export function serveTargets(problem: TaxonomyProblem, budget: number, sources: readonly number[]): TaxonomyChoice {
  const chosen = new Set(sources);
  const served = problem.ownScore.map((ownScore, target): ServedTarget => {
    if (chosen.has(target)) return { target, sources: [target], own: true, score: ownScore };
    let best: TransferOption | undefined;
    for (const option of problem.transfers[target])
      if (option.sources.every((s) => chosen.has(s)) && (!best || option.score > best.score)) best = option;
    if (!best) throw new RangeError(`no transfer to task ${target} uses only the sources ${[...chosen].join(', ')}`);
    return { target, sources: [...best.sources], own: false, score: best.score };
  });
  return {
    budget,
    sources: [...chosen].sort((a, b) => a - b),
    served,
    total: served.reduce((sum, s) => sum + s.score, 0),
  };
}

/**
 * Taskonomy's budgeted selection as a binary program in CPLEX LP format: y_s = 1 when task s is supervised, x_t_o = 1
 * when transfer o serves target t. Each target is served exactly once, by its own network (y_t) or by a transfer whose
 * sources are all supervised; at most `budget` tasks are supervised; maximise the summed scores. x may be continuous:
 * once y is fixed each target's constraints form a simplex whose best vertex is its best usable transfer, so the
 * solver branches only on y.
 */
export function taxonomyLp(problem: TaxonomyProblem, budget: number): string {
  const T = problem.ownScore.length;
  const objective = problem.ownScore.map((score, t) => ` + ${score} y${t}`);
  const serve: string[] = [];
  const link: string[] = [];
  const bounds: string[] = [];
  problem.transfers.forEach((options, t) => {
    const terms = [`y${t}`];
    options.forEach(({ sources, score }, o) => {
      const x = `x${t}_${o}`;
      objective.push(` + ${score} ${x}`);
      terms.push(x);
      sources.forEach((s) => link.push(` link${t}_${o}_${s}: ${x} - y${s} <= 0`));
      bounds.push(` 0 <= ${x} <= 1`);
    });
    serve.push(` serve${t}: ${terms.join(' + ')} = 1`);
  });
  const ys = Array.from({ length: T }, (_, t) => `y${t}`);
  return [
    'Maximize',
    ' score:',
    ...objective,
    'Subject To',
    ...serve,
    ...link,
    ` budget: ${ys.join(' + ')} <= ${budget}`,
    'Bounds',
    ...bounds,
    'Binary',
    ...ys.map((y) => ` ${y}`),
    'End',
    '',
  ].join('\n');
}

/** The exact selection at one budget (at least 1: some task must be trained from scratch). */
export async function selectTaxonomy(problem: TaxonomyProblem, budget: number): Promise<TaxonomyChoice> {
  const T = problem.ownScore.length;
  if (!(Number.isInteger(budget) && budget >= 1 && budget <= T))
    throw new RangeError(`budget must be an integer in 1..${T}, got ${budget}`);
  const result = (await solver()).solve(taxonomyLp(problem, budget), {
    output_flag: false,
    mip_rel_gap: 0,
    mip_abs_gap: 1e-9,
  });
  if (result.Status !== 'Optimal') throw new Error(`HiGHS ended with status '${result.Status}' at budget ${budget}`);
  const sources = Array.from({ length: T }, (_, t) => t).filter((t) => (result.Columns[`y${t}`]?.Primal ?? 0) > 0.5);
  return serveTargets(problem, budget, sources);
}
