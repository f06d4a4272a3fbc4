import type { Dataset, TaskKind } from './dataset.js';

/** Where a target column's values come from: a task, an input feature (moved to the output side) or a target-only column. */
export interface TargetColumn {
  from: 'task' | 'feature' | 'targetOnly';
  index: number;
  name: string;
  kind: TaskKind;
  /** Standardised with the training rows' moments (see Dataset.standardisedTargets). */
  standardise: boolean;
}

const sourceOf = (ds: Dataset, from: TargetColumn['from']): { values: Float32Array; width: number } => {
  if (from === 'task') return { values: ds.targets, width: ds.taskNames.length };
  if (from === 'feature') return { values: ds.features, width: ds.featureNames.length };
  return { values: ds.targetOnly ?? new Float32Array(0), width: ds.targetOnlyNames?.length ?? 0 };
};

/** A column of the data set as one of its targets: tasks keep their kind, anything else is a standardised regression target. */
export function targetColumn(ds: Dataset, from: TargetColumn['from'], index: number): TargetColumn {
  if (from === 'task') return { from, index, name: ds.taskNames[index], kind: ds.taskKinds[index], standardise: false };
  const name = (from === 'feature' ? ds.featureNames : (ds.targetOnlyNames ?? []))[index];
  const { values, width } = sourceOf(ds, from);
  let binary = true;
  for (let r = 0; r < ds.rows && binary; r++)
    binary = values[r * width + index] === 0 || values[r * width + index] === 1;
  return binary && from === 'targetOnly'
    ? { from, index, name, kind: 'binary', standardise: false }
    : { from, index, name, kind: 'regression', standardise: true };
}

/**
 * A data set with the given input features (indices into ds.featureNames) and target columns: a task is a target
 * vector with a loss kind, whatever column it came from, so a feature can be an output and a column that is never an
 * input can be a training target.
 */
export function selectColumns(ds: Dataset, inputs: readonly number[], targets: readonly TargetColumn[]): Dataset {
  const d = ds.featureNames.length;
  const features = new Float32Array(ds.rows * inputs.length);
  const out = new Float32Array(ds.rows * targets.length);
  const sources = targets.map((t) => sourceOf(ds, t.from));
  for (let r = 0; r < ds.rows; r++) {
    inputs.forEach((c, k) => (features[r * inputs.length + k] = ds.features[r * d + c]));
    targets.forEach((t, k) => (out[r * targets.length + k] = sources[k].values[r * sources[k].width + t.index]));
  }
  return {
    source: ds.source,
    sha256: ds.sha256,
    featureNames: inputs.map((c) => ds.featureNames[c]),
    taskNames: targets.map((t) => t.name),
    taskKinds: targets.map((t) => t.kind),
    rows: ds.rows,
    features,
    targets: out,
    standardisedTargets: targets.map((t) => t.standardise),
  };
}

/** One target column's raw values over the given rows. */
export function columnValues(ds: Dataset, column: TargetColumn, rows: ArrayLike<number>): number[] {
  const { values, width } = sourceOf(ds, column.from);
  return Array.from(rows, (r) => values[r * width + column.index]);
}
