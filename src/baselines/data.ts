import { Matrix } from 'ml-matrix';
import type { Dataset, TaskKind } from '../data/dataset.js';
import { prepareSplit, type Part, type Split } from '../data/split.js';

/** A multi-label table for the linear baselines: every task is observed on every row. */
export interface TaskData {
  /** rows × features, standardised */
  x: Matrix;
  /** rows × tasks */
  y: Matrix;
  kinds: TaskKind[];
}

const toMatrix = (values: Float32Array, rows: number, columns: number): Matrix =>
  Matrix.from1DArray(rows, columns, Float64Array.from(values));

export function taskDataOf(part: Part, features: number, kinds: TaskKind[]): TaskData {
  return { x: toMatrix(part.features, part.rows, features), y: toMatrix(part.targets, part.rows, kinds.length), kinds };
}

/**
 * The training and test tables of one holdout split. The linear models have no early stopping, so the validation
 * rows join the training rows and k-fold cross-validation on them does the selection; standardisation uses them too.
 */
export function baselineData(ds: Dataset, split: Split): { train: TaskData; test: TaskData } {
  const train = Int32Array.from([...split.train, ...split.validation]);
  const parts = prepareSplit(ds, { ...split, train });
  const d = ds.featureNames.length;
  return { train: taskDataOf(parts.train, d, ds.taskKinds), test: taskDataOf(parts.test, d, ds.taskKinds) };
}

export const selectRows = (data: TaskData, rows: ArrayLike<number>): TaskData => ({
  x: data.x.subMatrixRow(Array.from(rows)),
  y: data.y.subMatrixRow(Array.from(rows)),
  kinds: data.kinds,
});
