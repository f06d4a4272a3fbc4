import { Matrix } from 'ml-matrix';
import { symmetricEigen, type Problem } from './problem.js';
import { solveSylvester } from './sylvester.js';

/**
 * Per task, the curvature of its mean loss along the prediction: 2 for squared error; for logistic loss p̄(1 − p̄) at the
 * base rate, which by Jensen bounds the mean of p(1 − p) at any fit reproducing that rate (floored for near-constant tasks).
 */
export const lossCurvatures = (problem: Problem): number[] =>
  problem.kinds.map((kind, t) =>
    kind === 'regression' ? 2 : Math.max(problem.yMean[t] * (1 - problem.yMean[t]), 1e-3),
  );

/**
 * An approximate inverse Hessian for the weights of Σ_t mean loss_t + tr(W Ω Wᵀ): the Hessian is approximated by
 * W ↦ G W H + 2 W Ω with H = diag(loss curvatures); with X = Y H^{-1/2} this is the Sylvester equation
 * G Y + Y (2 H^{-1/2} Ω H^{-1/2}) = R H^{-1/2}, solved in the eigenbases.
 */
export function weightPreconditioner(problem: Problem, omega: Matrix): (gradient: Matrix) => Matrix {
  const scale = lossCurvatures(problem).map((h) => 1 / Math.sqrt(h));
  const scaled = symmetricEigen(omega.clone().mulRowVector(scale).mulColumnVector(scale).mul(2));
  return (gradient) =>
    solveSylvester(problem.gramEigen, scaled, gradient.clone().mulRowVector(scale)).mulRowVector(scale);
}

/** The same for one shared weight vector (W = w1ᵀ): the Hessian in w is (Σ_t h_t) G + 2 (1ᵀΩ1) I. */
export function tiedPreconditioner(problem: Problem, omega: Matrix): (gradient: Matrix) => Matrix {
  const curvature = lossCurvatures(problem).reduce((a, b) => a + b, 0);
  const { values, vectors } = problem.gramEigen;
  const inverse = vectors
    .mmul(Matrix.diag(values.map((v) => 1 / (curvature * v + 2 * omega.sum()))))
    .mmul(vectors.transpose());
  return (gradient) => inverse.mmul(gradient);
}
