import { Matrix } from 'ml-matrix';
import type { TaskKind } from '../data/dataset.js';
import type { TaskData } from './data.js';
import type { LinearModel, Problem } from './problem.js';

/** Mean squared error for regression tasks, mean binary cross-entropy on the logit for binary tasks (as the networks). */
export const lossName = (kind: TaskKind): 'mse' | 'bce' => (kind === 'regression' ? 'mse' : 'bce');

const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export const predict = (model: LinearModel, x: Matrix): Matrix => x.mmul(model.weights).addRowVector(model.bias);

/** Per-task mean loss of a model on a table. */
export function taskLosses(model: LinearModel, data: TaskData): number[] {
  const z = predict(model, data.x);
  return data.kinds.map((kind, t) => {
    let sum = 0;
    for (let i = 0; i < z.rows; i++) {
      const y = data.y.get(i, t);
      const zi = z.get(i, t);
      sum += kind === 'regression' ? (y - zi) ** 2 : softplus(zi) - y * zi;
    }
    return sum / z.rows;
  });
}

/** A value with its gradient in the weights (features × tasks) and in the per-task centred biases. */
export interface Evaluation {
  value: number;
  weightGradient: Matrix;
  biasGradient: Float64Array;
}

/**
 * Σ_t (mean loss of task t) and its gradient, in centred coordinates. Regression tasks use the sufficient statistics:
 * MSE_t = w_tᵀ G w_t − 2 c_tᵀ w_t + var(y_t) + (ȳ_t − b_t)², since the centred features are orthogonal to the bias.
 */
export function dataFit(problem: Problem, weights: Matrix, bias: ArrayLike<number>): Evaluation {
  const gradient = Matrix.zeros(problem.features, problem.tasks);
  const biasGradient = new Float64Array(problem.tasks);
  let value = 0;
  if (problem.regression.length > 0) {
    const w = weights.subMatrixColumn(problem.regression);
    const gw = problem.gram.mmul(w);
    problem.regression.forEach((t, k) => {
      let quadratic = 0;
      for (let j = 0; j < problem.features; j++) {
        const c = problem.cross.get(j, t);
        quadratic += w.get(j, k) * (gw.get(j, k) - 2 * c);
        gradient.set(j, t, 2 * (gw.get(j, k) - c));
      }
      const offset = bias[t] - problem.yMean[t];
      value += quadratic + problem.yVariance[t] + offset ** 2;
      biasGradient[t] = 2 * offset;
    });
  }
  if (problem.binary.length > 0) {
    const z = problem.x.mmul(weights.subMatrixColumn(problem.binary));
    const n = problem.rows;
    const residual = new Matrix(n, problem.binary.length);
    problem.binary.forEach((t, k) => {
      let sum = 0;
      let biasSum = 0;
      for (let i = 0; i < n; i++) {
        const zi = z.get(i, k) + bias[t];
        const y = problem.y.get(i, t);
        sum += softplus(zi) - y * zi;
        const r = (sigmoid(zi) - y) / n;
        residual.set(i, k, r);
        biasSum += r;
      }
      value += sum / n;
      biasGradient[t] = biasSum;
    });
    const g = problem.x.transposeMultiply(residual);
    problem.binary.forEach((t, k) => gradient.setColumn(t, g.getColumn(k)));
  }
  return { value, weightGradient: gradient, biasGradient };
}
