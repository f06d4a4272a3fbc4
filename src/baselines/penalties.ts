import { Matrix } from 'ml-matrix';

/** A task-coupling regulariser on the weight matrix W (features × tasks); biases are never penalised. */
export interface Penalty {
  evaluate(weights: Matrix): { value: number; gradient: Matrix };
  /** The tasks × tasks Ω(W) with penalty tr(W Ω(W) Wᵀ) and gradient 2 W Ω(W); the solvers precondition with it. */
  curvature(weights: Matrix): Matrix;
  /** Ω when it does not depend on W: then squared loss has a closed form. */
  omega?: Matrix;
}

/** tr(W Ω Wᵀ) and 2 W Ω for a symmetric Ω. */
export function quadraticForm(weights: Matrix, omega: Matrix): { value: number; gradient: Matrix } {
  const wo = weights.mmul(omega);
  let value = 0;
  for (let j = 0; j < weights.rows; j++)
    for (let t = 0; t < weights.columns; t++) value += weights.get(j, t) * wo.get(j, t);
  return { value, gradient: wo.mul(2) };
}

/** A penalty with a fixed Ω. */
export type QuadraticPenalty = Penalty & { omega: Matrix };

export const quadraticPenalty = (omega: Matrix): QuadraticPenalty => ({
  omega,
  curvature: () => omega,
  evaluate: (weights) => quadraticForm(weights, omega),
});

/** U = 11ᵀ/T: tr(W U Wᵀ) = T ||w̄||². */
export const averaging = (tasks: number): Matrix => new Matrix(tasks, tasks).fill(1 / tasks);

/** Π = I − U: tr(W Π Wᵀ) = Σ_t ||w_t − w̄||². */
export const centring = (tasks: number): Matrix => Matrix.eye(tasks).sub(averaging(tasks));

/** M = E(EᵀE)⁻¹Eᵀ for a partition of the tasks (every task in exactly one group): M_st = 1/|c| when s and t share group c. */
export function clusterMatrix(groups: number[][], tasks: number): Matrix {
  const m = new Matrix(tasks, tasks);
  for (const group of groups) for (const s of group) for (const t of group) m.set(s, t, 1 / group.length);
  return m;
}
