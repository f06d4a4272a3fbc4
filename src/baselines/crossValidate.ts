import { InputError } from '../data/errors.js';
import { permutation, seededRandom } from '../data/random.js';
import { selectRows, type TaskData } from './data.js';
import { SELECTION_TOLERANCE, type FitOptions, type Fitted } from './fit.js';
import { taskLosses } from './losses.js';
import { makeProblem, type Problem } from './problem.js';

/** A model family: its hyper-parameter grid and how to fit one point of it. */
export interface Family<P, M extends Fitted = Fitted> {
  name: string;
  grid: P[];
  fit(problem: Problem, params: P, options: FitOptions): M;
}

export interface CrossValidation<P> {
  best: P;
  /** Σ_t of the held-out mean loss of task t, pooled over the folds, at the best grid point. */
  bestLoss: number;
}

/** Its own random stream, so that the folds do not reuse the numbers of the train/test split. */
const CV_STREAM = 11;

/** The held-out rows of each of k folds over the shuffled rows. */
export function cvFolds(rows: number, folds: number, seed: number): Int32Array[] {
  if (!(Number.isInteger(folds) && folds >= 2))
    throw new InputError(`cross-validation needs an integer number of folds >= 2 (got ${folds})`);
  if (rows < 2 * folds) throw new InputError(`${rows} training rows are too few for ${folds}-fold cross-validation`);
  const order = permutation(rows, seededRandom(seed, CV_STREAM));
  return Array.from({ length: folds }, (_, f) =>
    order.slice(Math.floor((f * rows) / folds), Math.floor(((f + 1) * rows) / folds)),
  );
}

/** k-fold cross-validation over the family's grid; within a fold each grid point starts from the previous one's solution. */
export function crossValidate<P, M extends Fitted>(
  family: Family<P, M>,
  data: TaskData,
  folds: number,
  seed: number,
): CrossValidation<P> {
  if (family.grid.length === 0) throw new InputError(`${family.name}: empty hyper-parameter grid`);
  const n = data.x.rows;
  const totals = family.grid.map(() => 0);
  for (const heldOut of cvFolds(n, folds, seed)) {
    const out = new Set(heldOut);
    const problem = makeProblem(
      selectRows(
        data,
        Array.from({ length: n }, (_, i) => i).filter((i) => !out.has(i)),
      ),
    );
    const validation = selectRows(data, heldOut);
    let warm: M | undefined;
    family.grid.forEach((params, g) => {
      warm = family.fit(problem, params, { tolerance: SELECTION_TOLERANCE, warm });
      totals[g] += taskLosses(warm, validation).reduce((a, b) => a + b, 0) * (heldOut.length / n);
    });
  }
  const bestIndex = totals.indexOf(Math.min(...totals));
  return { best: family.grid[bestIndex], bestLoss: totals[bestIndex] };
}
