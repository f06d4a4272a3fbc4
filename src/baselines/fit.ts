import { Matrix } from 'ml-matrix';
import { dataFit, type Evaluation } from './losses.js';
import { minimiseLbfgs, type Minimum } from './optimise.js';
import type { Penalty, QuadraticPenalty } from './penalties.js';
import { lossCurvatures, tiedPreconditioner, weightPreconditioner } from './precondition.js';
import { centredBias, modelFromCentred, symmetricEigen, type LinearModel, type Problem } from './problem.js';
import { solveSylvester } from './sylvester.js';

/** Gradient-norm tolerance of every reported fit (the KKT residual of the penalised objective). */
export const FINAL_TOLERANCE = 1e-6;
/** Looser tolerance inside cross-validation: it only has to rank hyper-parameters. */
export const SELECTION_TOLERANCE = 1e-4;

export interface FitOptions {
  tolerance: number;
  /** A starting point (e.g. the neighbouring grid point's solution); ignored by the closed forms. */
  warm?: LinearModel;
}

export interface Fitted extends LinearModel {
  /** Euclidean norm of the objective's gradient (weights and biases) at the returned model. */
  gradientNorm: number;
  /** Solver iterations; 0 for a closed form. */
  iterations: number;
  converged: boolean;
}

/** Σ_t mean loss_t + penalty(W), and its gradient, in the problem's centred coordinates. */
export function penalisedObjective(
  problem: Problem,
  penalty: Penalty,
  weights: Matrix,
  bias: ArrayLike<number>,
): Evaluation {
  const fit = dataFit(problem, weights, bias);
  const p = penalty.evaluate(weights);
  return {
    value: fit.value + p.value,
    weightGradient: fit.weightGradient.add(p.gradient),
    biasGradient: fit.biasGradient,
  };
}

/** The KKT residual of a model: the gradient norm of the penalised objective there. */
export function gradientNormAt(problem: Problem, penalty: Penalty, model: LinearModel): number {
  const e = penalisedObjective(problem, penalty, model.weights, centredBias(problem, model));
  return Math.hypot(e.weightGradient.norm(), ...e.biasGradient);
}

/** The KKT residual of a tied model (W = w1ᵀ): the gradient in the shared w is the sum of the per-task gradients. */
export function tiedGradientNormAt(problem: Problem, penalty: Penalty, model: LinearModel): number {
  const e = penalisedObjective(problem, penalty, model.weights, centredBias(problem, model));
  return Math.hypot(...e.weightGradient.sum('row'), ...e.biasGradient);
}

/**
 * Minimises Σ_t mean loss_t(w_t, b_t) + penalty(W). Squared loss on every task with a fixed Ω has the closed form
 * G W + W Ω = C (the stationarity condition); otherwise preconditioned L-BFGS over (W, b) to the gradient tolerance.
 */
export function fitPenalised(problem: Problem, penalty: Penalty, options: FitOptions): Fitted {
  const { features: d, tasks: T } = problem;
  const done = (model: LinearModel, iterations: number): Fitted => {
    const gradientNorm = gradientNormAt(problem, penalty, model);
    return { ...model, gradientNorm, iterations, converged: gradientNorm <= options.tolerance };
  };
  if (penalty.omega && problem.regression.length === T)
    return done(
      modelFromCentred(
        problem,
        solveSylvester(problem.gramEigen, symmetricEigen(penalty.omega), problem.cross),
        problem.yMean,
      ),
      0,
    );
  const weightsOf = (x: Float64Array): Matrix => Matrix.from1DArray(d, T, x.subarray(0, d * T));
  const fixed = penalty.omega && weightPreconditioner(problem, penalty.omega);
  const minimum = solve(problem, options, d * T, (model) => model.weights.to1DArray(), {
    evaluate: (x) => {
      const e = penalisedObjective(problem, penalty, weightsOf(x), x.subarray(d * T));
      return { value: e.value, weightGradient: e.weightGradient.to1DArray(), biasGradient: e.biasGradient };
    },
    preconditionWeights: (g, x) =>
      (fixed ?? weightPreconditioner(problem, penalty.curvature(weightsOf(x))))(
        Matrix.from1DArray(d, T, g),
      ).to1DArray(),
  });
  return done(modelFromCentred(problem, weightsOf(minimum.x), minimum.x.subarray(d * T)), minimum.iterations);
}

/**
 * One weight vector w for every task (W = w1ᵀ, a bias per task): minimises Σ_t mean loss_t + penalty(w1ᵀ) for a
 * fixed Ω. With squared loss the stationarity condition is (G + s I) w = mean_t c_t, s = 1ᵀΩ1 / T.
 */
export function fitTied(problem: Problem, penalty: QuadraticPenalty, options: FitOptions): Fitted {
  const { features: d, tasks: T } = problem;
  const tied = (w: ArrayLike<number>): Matrix => Matrix.from1DArray(d, 1, w).mmul(new Matrix(1, T).fill(1));
  const done = (model: LinearModel, iterations: number): Fitted => {
    const gradientNorm = tiedGradientNormAt(problem, penalty, model);
    return { ...model, gradientNorm, iterations, converged: gradientNorm <= options.tolerance };
  };
  if (problem.regression.length === T) {
    const { values, vectors } = problem.gramEigen;
    const s = penalty.omega.sum() / T;
    const w = vectors
      .mmul(Matrix.diag(values.map((v) => 1 / (v + s))))
      .mmul(vectors.transpose())
      .mmul(Matrix.columnVector(problem.cross.mean('row')));
    return done(modelFromCentred(problem, tied(w.getColumn(0)), problem.yMean), 0);
  }
  const precondition = tiedPreconditioner(problem, penalty.omega);
  const minimum = solve(problem, options, d, (model) => model.weights.getColumn(0), {
    evaluate: (x) => {
      const e = penalisedObjective(problem, penalty, tied(x.subarray(0, d)), x.subarray(d));
      return { value: e.value, weightGradient: e.weightGradient.sum('row'), biasGradient: e.biasGradient };
    },
    preconditionWeights: (g) => precondition(Matrix.columnVector(Array.from(g))).getColumn(0),
  });
  return done(modelFromCentred(problem, tied(minimum.x.subarray(0, d)), minimum.x.subarray(d)), minimum.iterations);
}

interface Parametrisation {
  evaluate(x: Float64Array): { value: number; weightGradient: ArrayLike<number>; biasGradient: ArrayLike<number> };
  preconditionWeights(gradient: Float64Array, x: Float64Array): ArrayLike<number>;
}

/** L-BFGS over [weight parameters, centred biases], starting from a warm model or from the intercept-only fit. */
function solve(
  problem: Problem,
  options: FitOptions,
  size: number,
  flatten: (model: LinearModel) => ArrayLike<number>,
  p: Parametrisation,
): Minimum {
  const T = problem.tasks;
  const curvatures = lossCurvatures(problem);
  const start = new Float64Array(size + T);
  if (options.warm) {
    start.set(flatten(options.warm));
    start.set(centredBias(problem, options.warm), size);
  } else
    start.set(
      problem.yMean.map((m, t) => (problem.kinds[t] === 'binary' ? logit(m) : m)),
      size,
    );
  return minimiseLbfgs(
    (x) => {
      const e = p.evaluate(x);
      const gradient = new Float64Array(size + T);
      gradient.set(e.weightGradient);
      gradient.set(e.biasGradient, size);
      return { value: e.value, gradient };
    },
    start,
    {
      tolerance: options.tolerance,
      precondition: (g, x) => {
        const out = new Float64Array(size + T);
        out.set(p.preconditionWeights(g.subarray(0, size), x));
        for (let t = 0; t < T; t++) out[size + t] = g[size + t] / curvatures[t];
        return out;
      },
    },
  );
}

const logit = (p: number): number => {
  const q = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
  return Math.log(q / (1 - q));
};
