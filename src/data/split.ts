import { takeRows, type Dataset } from './dataset.js';
import { permutation, seededRandom } from './random.js';
import { InputError } from './errors.js';

export interface HoldoutFractions {
  validation: number;
  test: number;
}

export const DEFAULT_FRACTIONS: HoldoutFractions = { validation: 0.2, test: 0.2 };

/** Row indices of one seeded train/validation/test split. */
export interface Split {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/** Stream ids, so that the split, the initialisation and the batch order of one seed draw independent numbers. */
export const RANDOM_STREAM = { split: 1, init: 2, batches: 3 } as const;

/**
 * How rows become train/validation/test for one replication. `holdout` is PROTOCOL.md's single split per seed;
 * `kfold` cross-fits: with the rows shuffled by the seed and cut into k folds, replication f tests on fold f and
 * selects on fold f+1, so every row is a test row once per seed.
 */
export type SplitScheme = ({ kind: 'holdout' } & HoldoutFractions) | { kind: 'kfold'; folds: number };

export const PROTOCOL_SPLIT: SplitScheme = { kind: 'holdout', ...DEFAULT_FRACTIONS };

/** The folds one seed contributes: [0] for a holdout split. */
export const foldsOf = (scheme: SplitScheme): number[] => (scheme.kind === 'kfold' ? Array.from({ length: scheme.folds }, (_, f) => f) : [0]);

export function splitFor(scheme: SplitScheme, rows: number, seed: number, fold: number): Split {
  return scheme.kind === 'kfold' ? kfoldSplit(rows, seed, scheme.folds, fold) : holdoutSplit(rows, seed, scheme);
}

/** Shuffles with the seed; the first `test` share is test, the next `validation` share validation, the rest train (PROTOCOL.md). */
export function holdoutSplit(rows: number, seed: number, fractions: HoldoutFractions = DEFAULT_FRACTIONS): Split {
  const nTest = Math.floor(rows * fractions.test);
  const nValidation = Math.floor(rows * fractions.validation);
  if (nTest < 1 || nValidation < 1 || rows - nTest - nValidation < 1)
    throw new InputError(`${rows} rows cannot be split into train/validation/test with fractions ${fractions.validation}/${fractions.test}`);
  const order = permutation(rows, seededRandom(seed, RANDOM_STREAM.split));
  return {
    test: order.slice(0, nTest),
    validation: order.slice(nTest, nTest + nValidation),
    train: order.slice(nTest + nValidation),
  };
}

/** Fold f of k (test), fold f+1 (validation), the rest (train), over rows shuffled by the seed. Fold 0 of 5 is the holdout split. */
export function kfoldSplit(rows: number, seed: number, folds: number, fold: number): Split {
  if (!(Number.isInteger(folds) && folds >= 3)) throw new InputError(`k-fold cross-fitting needs at least 3 folds (got ${folds})`);
  if (rows < folds * 2) throw new InputError(`${rows} rows are too few for ${folds} folds`);
  const order = permutation(rows, seededRandom(seed, RANDOM_STREAM.split));
  const bounds = (f: number): [number, number] => [Math.floor((f * rows) / folds), Math.floor(((f + 1) * rows) / folds)];
  const [testStart, testEnd] = bounds(fold);
  const [validationStart, validationEnd] = bounds((fold + 1) % folds);
  const inFold = (i: number, [a, b]: [number, number]): boolean => i >= a && i < b;
  return {
    test: order.slice(testStart, testEnd),
    validation: order.slice(validationStart, validationEnd),
    train: order.filter((_, i) => !inFold(i, [testStart, testEnd]) && !inFold(i, [validationStart, validationEnd])),
  };
}

/** One part of a split, features standardised. */
export interface Part {
  rows: number;
  features: Float32Array;
  targets: Float32Array;
}

export interface PreparedSplit {
  train: Part;
  validation: Part;
  test: Part;
}

/** Standardises every part with the training rows' mean and standard deviation (no test information leaks into training). */
export function prepareSplit(ds: Dataset, split: Split): PreparedSplit {
  const d = ds.featureNames.length;
  const T = ds.taskNames.length;
  const { mean, sd } = columnMoments(ds.features, d, split.train);
  const part = (rows: Int32Array): Part => {
    const features = takeRows(ds.features, d, rows);
    for (let i = 0; i < features.length; i++) features[i] = (features[i] - mean[i % d]) / sd[i % d];
    return { rows: rows.length, features, targets: takeRows(ds.targets, T, rows) };
  };
  return { train: part(split.train), validation: part(split.validation), test: part(split.test) };
}

/** Column means and population standard deviations over the given rows; a constant column gets sd 1 (it stays 0). */
export function columnMoments(matrix: Float32Array, width: number, rows: ArrayLike<number>): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(width);
  const sd = new Float64Array(width);
  for (let r = 0; r < rows.length; r++) for (let c = 0; c < width; c++) mean[c] += matrix[rows[r] * width + c];
  for (let c = 0; c < width; c++) mean[c] /= rows.length;
  for (let r = 0; r < rows.length; r++)
    for (let c = 0; c < width; c++) sd[c] += (matrix[rows[r] * width + c] - mean[c]) ** 2;
  for (let c = 0; c < width; c++) {
    sd[c] = Math.sqrt(sd[c] / rows.length);
    if (!(sd[c] > 1e-12)) sd[c] = 1;
  }
  return { mean, sd };
}
