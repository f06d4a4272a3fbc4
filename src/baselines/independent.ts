import { Matrix } from 'ml-matrix';
import type { Family } from './crossValidate.js';
import { fitPenalised, fitTied } from './fit.js';
import { quadraticPenalty, type QuadraticPenalty } from './penalties.js';

export interface RidgeParams {
  ridge: number;
}

/** Decades of shrinkage for standardised features and per-row mean losses, heavy first: each warm start comes from a smoother fit. */
export const RIDGE_GRID = [10, 1, 1e-1, 1e-2, 1e-3, 1e-4];

/** ρ Σ_t ||w_t||² (Ω = ρI): no coupling between tasks. */
export const ridgePenalty = (tasks: number, ridge: number): QuadraticPenalty =>
  quadraticPenalty(Matrix.eye(tasks, tasks, ridge));

/** One ridge or logistic model per task. */
export function independent(grid: RidgeParams[] = RIDGE_GRID.map((ridge) => ({ ridge }))): Family<RidgeParams> {
  return {
    name: 'independent',
    grid,
    fit: (problem, { ridge }, options) => fitPenalised(problem, ridgePenalty(problem.tasks, ridge), options),
  };
}

/** One weight vector shared by every task (each keeps its own bias), penalty ρ T ||w||². */
export function pooled(grid: RidgeParams[] = RIDGE_GRID.map((ridge) => ({ ridge }))): Family<RidgeParams> {
  return {
    name: 'pooled',
    grid,
    fit: (problem, { ridge }, options) => fitTied(problem, ridgePenalty(problem.tasks, ridge), options),
  };
}
