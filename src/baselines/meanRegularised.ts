import { Matrix } from 'ml-matrix';
import type { Family } from './crossValidate.js';
import { fitPenalised } from './fit.js';
import { RIDGE_GRID } from './independent.js';
import { centring, quadraticPenalty, type Penalty } from './penalties.js';

/**
 * Evgeniou & Pontil (2004) in the form of their Theorem 2.2: ρ Σ_t ||w_t||² + λ Σ_t ||w_t − w̄||², equivalent to
 * w_t = w_0 + v_t with separate penalties on w_0 and the v_t, and to ρT (||w̄||² + (λ'/T) Σ_t ||w_t − w̄||²) with
 * λ' = 1 + λ/ρ. λ → 0 gives independent ridge models, λ → ∞ the pooled model.
 */
export interface MeanRegularisedParams {
  ridge: number;
  /** λ: how hard every task is pulled to the mean task. */
  pull: number;
}

export const PULL_GRID = [10, 1, 1e-1, 1e-2, 1e-3];

/** Ω = ρI + λΠ. */
export const meanRegularisedOmega = (tasks: number, { ridge, pull }: MeanRegularisedParams): Matrix =>
  Matrix.eye(tasks, tasks, ridge).add(centring(tasks).mul(pull));

export const meanRegularisedPenalty = (tasks: number, params: MeanRegularisedParams): Penalty =>
  quadraticPenalty(meanRegularisedOmega(tasks, params));

export const defaultMeanRegularisedGrid = (): MeanRegularisedParams[] =>
  RIDGE_GRID.flatMap((ridge) => PULL_GRID.map((pull) => ({ ridge, pull })));

export function meanRegularised(grid = defaultMeanRegularisedGrid()): Family<MeanRegularisedParams> {
  return {
    name: 'mean-regularised',
    grid,
    fit: (problem, params, options) => fitPenalised(problem, meanRegularisedPenalty(problem.tasks, params), options),
  };
}
