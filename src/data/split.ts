import { takeRows, type Dataset } from './dataset.js';
import { permutation, seededRandom } from './random.js';
import { InputError } from './errors.js';

export interface HoldoutFractions {
  validation: number;
  test: number;
}

/** PROTOCOL.md's holdout split: 60% train, 20% validation, 20% test. */
export const PROTOCOL_FRACTIONS: HoldoutFractions = { validation: 0.2, test: 0.2 };

/** Row indices of one seeded train/validation/test split. */
export interface Split {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * Stream ids, so that the split, the initialisation and the batch order of one seed draw independent numbers; a user
 * model's layers draw from `layers + epoch` (epoch 0: building it).
 */
export const RANDOM_STREAM = { split: 1, init: 2, batches: 3, layers: 4 } as const;

/**
 * How rows become train/validation/test for one replication. `holdout` is PROTOCOL.md's single split per seed;
 * `kfold` cross-fits: with the rows shuffled by the seed, a validation block of 1/(k+1) of them is carved first and is
 * never a test row for that seed; the remaining rows are cut into k folds, and replication f tests on fold f, trains on
 * the other folds and selects (epoch and every other choice) on the seed's validation block. So no replication's
 * validation rows are another replication's test rows of the same seed, and every other row is tested once per seed.
 */
export type SplitScheme = ({ kind: 'holdout' } & HoldoutFractions) | { kind: 'kfold'; folds: number };

export const PROTOCOL_SPLIT: SplitScheme = { kind: 'holdout', ...PROTOCOL_FRACTIONS };

/** The folds one seed contributes: [0] for a holdout split. */
export const foldsOf = (scheme: SplitScheme): number[] =>
  scheme.kind === 'kfold' ? Array.from({ length: scheme.folds }, (_, f) => f) : [0];

/** Replication `fold`'s split of one seed, after checking the seed's whole design (assertSeedDesign). */
export function splitFor(scheme: SplitScheme, rows: number, seed: number, fold: number): Split {
  return seedSplits(scheme, rows, seed)[fold];
}

/** Every replication's split of one seed, checked against the evaluation design before anything trains on them. */
export function seedSplits(scheme: SplitScheme, rows: number, seed: number): Split[] {
  const splits =
    scheme.kind === 'kfold'
      ? foldsOf(scheme).map((f) => kfoldSplit(rows, seed, scheme.folds, f))
      : [holdoutSplit(rows, seed, scheme)];
  assertSeedDesign(splits, rows);
  return splits;
}

/**
 * The evaluation design, enforced: within every replication train, validation and test are disjoint and cover the
 * rows; across the replications of one seed no validation row is ever a test row, and no row is tested twice.
 */
export function assertSeedDesign(splits: readonly Split[], rows: number): void {
  const tested = new Uint8Array(rows);
  const validated = new Uint8Array(rows);
  splits.forEach((split, f) => {
    const role = new Uint8Array(rows);
    for (const [code, part] of [
      [1, split.train],
      [2, split.validation],
      [3, split.test],
    ] as const)
      for (const r of part) {
        if (role[r] !== 0) throw new Error(`evaluation design violated: row ${r} is in two parts of replication ${f}`);
        role[r] = code;
      }
    if (role.includes(0)) throw new Error(`evaluation design violated: replication ${f} leaves rows unused`);
    for (const r of split.validation) validated[r] = 1;
    for (const r of split.test) {
      if (tested[r]) throw new Error(`evaluation design violated: row ${r} is tested twice in one seed`);
      tested[r] = 1;
    }
  });
  for (let r = 0; r < rows; r++)
    if (tested[r] && validated[r])
      throw new Error(
        `evaluation design violated: row ${r} is a validation row of one replication and a test row of another`,
      );
}

/** Shuffles with the seed; the first `test` share is test, the next `validation` share validation, the rest train (PROTOCOL.md). */
export function holdoutSplit(rows: number, seed: number, fractions: HoldoutFractions = PROTOCOL_FRACTIONS): Split {
  const nTest = Math.floor(rows * fractions.test);
  const nValidation = Math.floor(rows * fractions.validation);
  if (nTest < 1 || nValidation < 1 || rows - nTest - nValidation < 1)
    throw new InputError(
      `${rows} rows cannot be split into train/validation/test with fractions ${fractions.validation}/${fractions.test}`,
    );
  const order = permutation(rows, seededRandom(seed, RANDOM_STREAM.split));
  return {
    test: order.slice(0, nTest),
    validation: order.slice(nTest, nTest + nValidation),
    train: order.slice(nTest + nValidation),
  };
}

/**
 * Over rows shuffled by the seed: the first 1/(k+1) is the seed's validation block (the same for all k folds); the
 * rest is cut into k folds, fold f is the test part and the other folds train.
 */
export function kfoldSplit(rows: number, seed: number, folds: number, fold: number): Split {
  if (!(Number.isInteger(folds) && folds >= 2))
    throw new InputError(`k-fold cross-fitting needs at least 2 folds (got ${folds})`);
  if (rows < (folds + 1) * 2)
    throw new InputError(`${rows} rows are too few for ${folds} folds and a validation block`);
  const order = permutation(rows, seededRandom(seed, RANDOM_STREAM.split));
  const nValidation = Math.floor(rows / (folds + 1));
  const rest = order.subarray(nValidation);
  const bound = (f: number): number => Math.floor((f * rest.length) / folds);
  const [testStart, testEnd] = [bound(fold), bound(fold + 1)];
  return {
    validation: order.slice(0, nValidation),
    test: rest.slice(testStart, testEnd),
    train: Int32Array.from([...rest.subarray(0, testStart), ...rest.subarray(testEnd)]),
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

/**
 * Standardises every part's features (and the targets marked `standardisedTargets`) with the training rows' mean and
 * standard deviation (no test information leaks into training).
 */
export function prepareSplit(ds: Dataset, split: Split): PreparedSplit {
  const d = ds.featureNames.length;
  const T = ds.taskNames.length;
  const { mean, sd } = columnMoments(ds.features, d, split.train);
  const standardised = ds.standardisedTargets;
  const targetMoments = standardised?.some(Boolean) ? columnMoments(ds.targets, T, split.train) : undefined;
  const part = (rows: Int32Array): Part => {
    const features = takeRows(ds.features, d, rows);
    for (let at = 0; at < features.length; at += d)
      for (let c = 0; c < d; c++) features[at + c] = (features[at + c] - mean[c]) / sd[c];
    const targets = takeRows(ds.targets, T, rows);
    if (targetMoments && standardised)
      for (let i = 0; i < targets.length; i++)
        if (standardised[i % T]) targets[i] = (targets[i] - targetMoments.mean[i % T]) / targetMoments.sd[i % T];
    return { rows: rows.length, features, targets };
  };
  return { train: part(split.train), validation: part(split.validation), test: part(split.test) };
}

/** Column means and population standard deviations over the given rows; a constant column gets sd 1 (it stays 0). */
export function columnMoments(
  matrix: Float32Array,
  width: number,
  rows: ArrayLike<number>,
): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(width);
  const sd = new Float64Array(width);
  for (let r = 0; r < rows.length; r++) {
    const at = rows[r] * width;
    for (let c = 0; c < width; c++) mean[c] += matrix[at + c];
  }
  for (let c = 0; c < width; c++) mean[c] /= rows.length;
  for (let r = 0; r < rows.length; r++) {
    const at = rows[r] * width;
    for (let c = 0; c < width; c++) sd[c] += (matrix[at + c] - mean[c]) ** 2;
  }
  for (let c = 0; c < width; c++) {
    sd[c] = Math.sqrt(sd[c] / rows.length);
    if (!(sd[c] > 1e-12)) sd[c] = 1;
  }
  return { mean, sd };
}
