import { EVD, Matrix } from 'ml-matrix';
import type { TaskKind } from '../data/dataset.js';
import type { TaskData } from './data.js';

/**
 * One training table in the form the solvers use. Features are centred, so that with the bias of every task
 * unpenalised the bias decouples from the weights; regression tasks are represented by their sufficient statistics.
 */
export interface Problem {
  rows: number;
  features: number;
  tasks: number;
  kinds: TaskKind[];
  binary: number[];
  regression: number[];
  /** rows × features, centred */
  x: Matrix;
  xMean: number[];
  y: Matrix;
  yMean: number[];
  /** per task: mean squared deviation of the target from its mean */
  yVariance: number[];
  /** XcᵀXc / n (features × features) */
  gram: Matrix;
  /** Xcᵀ(Y − Ȳ) / n (features × tasks); only the regression columns are used */
  cross: Matrix;
  /** The eigen-decomposition of the Gram matrix: closed forms and preconditioners work in its basis. */
  gramEigen: SymmetricEigen;
}

export interface SymmetricEigen {
  values: number[];
  vectors: Matrix;
}

export function symmetricEigen(matrix: Matrix): SymmetricEigen {
  const evd = new EVD(matrix, { assumeSymmetric: true });
  return { values: evd.realEigenvalues, vectors: evd.eigenvectorMatrix };
}

export function makeProblem(data: TaskData): Problem {
  const { rows, columns: features } = data.x;
  const tasks = data.kinds.length;
  const xMean = data.x.mean('column');
  const yMean = data.y.mean('column');
  const x = data.x.clone().subRowVector(xMean);
  const yCentred = data.y.clone().subRowVector(yMean);
  const regression = data.kinds.flatMap((kind, t) => (kind === 'regression' ? [t] : []));
  const gram = x.gram().div(rows);
  return {
    rows,
    features,
    tasks,
    kinds: data.kinds,
    binary: data.kinds.flatMap((kind, t) => (kind === 'binary' ? [t] : [])),
    regression,
    x,
    xMean,
    y: data.y,
    yMean,
    yVariance: yCentred.clone().pow(2).mean('column'),
    gram,
    cross: regression.length > 0 ? x.transposeMultiply(yCentred).div(rows) : Matrix.zeros(features, tasks),
    gramEigen: symmetricEigen(gram),
  };
}

/** A fitted linear multi-task model: predictions are X·weights + bias on the standardised features. */
export interface LinearModel {
  /** features × tasks */
  weights: Matrix;
  bias: number[];
}

/** Biases in the centred coordinates of the problem (b' = b + x̄ᵀw). */
export function centredBias(problem: Problem, model: LinearModel): number[] {
  const shift = new Matrix([problem.xMean]).mmul(model.weights).getRow(0);
  return model.bias.map((b, t) => b + shift[t]);
}

export function modelFromCentred(problem: Problem, weights: Matrix, centred: ArrayLike<number>): LinearModel {
  const shift = new Matrix([problem.xMean]).mmul(weights).getRow(0);
  return { weights, bias: Array.from(centred, (b, t) => b - shift[t]) };
}
