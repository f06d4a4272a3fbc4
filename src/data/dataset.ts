/** binary tasks use binary cross-entropy on a logit; regression tasks use squared error. */
export type TaskKind = 'binary' | 'regression';

/** A validated multi-task table: numeric features and one target column per task, row-major. */
export interface Dataset {
  /** Where it came from (a file path or a generator description). */
  source: string;
  /** sha256 of the source bytes (or of the generator settings): part of every result's provenance. */
  sha256: string;
  featureNames: string[];
  taskNames: string[];
  taskKinds: TaskKind[];
  rows: number;
  /** rows × featureNames.length */
  features: Float32Array;
  /** One example's shape when its features are not a flat vector (a model's data loader: images, sequences); row-major. */
  inputShape?: number[];
  /** rows × taskNames.length */
  targets: Float32Array;
  /** How the loader read the data where a user might have meant otherwise (shown before a sweep); absent: nothing to say. */
  notes?: string[];
  /** Target columns standardised with the training rows' moments, like the features (e.g. inputs predicted as outputs). */
  standardisedTargets?: boolean[];
  /**
   * Columns known only after prediction time (or a main target's smoother version): never inputs, only candidate
   * auxiliary targets. rows × targetOnlyNames.length.
   */
  targetOnlyNames?: string[];
  targetOnly?: Float32Array;
}

/** Copies the given rows (in order) out of a row-major matrix with `width` columns. */
export function takeRows(matrix: Float32Array, width: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) out.set(matrix.subarray(rows[r] * width, (rows[r] + 1) * width), r * width);
  return out;
}
