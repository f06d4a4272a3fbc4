import { Matrix } from 'ml-matrix';
import { InputError } from '../data/errors.js';
import type { Family } from './crossValidate.js';
import { fitPenalised } from './fit.js';
import { averaging, clusterMatrix, quadraticPenalty, type Penalty } from './penalties.js';

/**
 * Jacob, Bach & Vert (2009) with a known partition: ε_M Ω_mean + ε_B Ω_between + ε_W Ω_within with
 * ε_M = ρ, ε_B = ρ + between, ε_W = ρ + within, i.e.
 * ρ Σ_t ||w_t||² + between Σ_c m_c ||w̄_c − w̄||² + within Σ_c Σ_{t∈c} ||w_t − w̄_c||².
 */
export interface ClusteredParams {
  ridge: number;
  /** Pull of each task to its cluster's mean. */
  within: number;
  /** Pull of each cluster's mean to the overall mean; below `within` (between = within is the mean-regularised model). */
  between: number;
}

/**
 * (ridge, within) pairs worth searching for cluster structure: within > ridge, since otherwise ε_W/ε_B ≤ 2 and the
 * penalty is close to plain ridge (which the independent and mean-regularised columns already cover).
 */
export const structuredStrengths = (): { ridge: number; within: number }[] =>
  [1, 1e-1, 1e-2, 1e-3].flatMap((ridge) =>
    [10, 1, 1e-1].filter((within) => within > ridge).map((within) => ({ ridge, within })),
  );

/** Shares between/within: 0 leaves the clusters unrelated, 0.1 lets them share a little. */
export const BETWEEN_SHARES = [0, 0.1];

export const defaultClusteredGrid = (): ClusteredParams[] =>
  structuredStrengths().flatMap((strengths) =>
    BETWEEN_SHARES.map((share) => ({ ...strengths, between: share * strengths.within })),
  );

/** Ω = ε_M U + ε_B (M − U) + ε_W (I − M) = ρI + between (M − U) + within (I − M). */
export function clusteredOmega(groups: number[][], tasks: number, { ridge, within, between }: ClusteredParams): Matrix {
  const m = clusterMatrix(groups, tasks);
  return Matrix.eye(tasks, tasks, ridge)
    .add(m.clone().sub(averaging(tasks)).mul(between))
    .add(Matrix.eye(tasks).sub(m).mul(within));
}

export const clusteredPenalty = (groups: number[][], tasks: number, params: ClusteredParams): Penalty =>
  quadraticPenalty(clusteredOmega(groups, tasks, params));

/** Checks a user's groups of task indices; tasks left out become groups of their own. */
export function completePartition(groups: number[][], tasks: number): number[][] {
  const seen = new Set<number>();
  for (const t of groups.flat()) {
    if (!(Number.isInteger(t) && t >= 0 && t < tasks))
      throw new InputError(`cluster member ${t} is not a task index in 0..${tasks - 1}`);
    if (seen.has(t)) throw new InputError(`task ${t} is in more than one cluster`);
    seen.add(t);
  }
  const rest = Array.from({ length: tasks }, (_, t) => t).filter((t) => !seen.has(t));
  return [...groups.filter((g) => g.length > 0), ...rest.map((t) => [t])];
}

export function clusteredKnown(groups: number[][], grid = defaultClusteredGrid()): Family<ClusteredParams> {
  return {
    name: 'clustered-known',
    grid,
    fit: (problem, params, options) =>
      fitPenalised(problem, clusteredPenalty(completePartition(groups, problem.tasks), problem.tasks, params), options),
  };
}
