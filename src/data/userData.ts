import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { resolveTaskColumns } from './columns.js';
import type { Dataset, TaskKind } from './dataset.js';
import { DataError, firstLine, InputError } from './errors.js';
import { checkTask, DEFAULT_MIN_ROWS } from './load.js';
import { lookAlikeProblem, nameProblem } from './names.js';

/** A data loader's result: examples of any shape and one target per task and example. */
export interface UserData {
  /** [examples, ...inputShape]: a tensor, or (nested) arrays of numbers of regular shape. */
  features: tf.Tensor | number[][] | number[][][] | number[][][][];
  /** One array (or 1-D tensor) of targets per task, each as long as there are examples; keys are the task names. */
  targets: Record<string, ArrayLike<number> | tf.Tensor1D>;
}

export interface LoaderContext {
  tf: typeof tf;
  /** The module's own folder, for data files next to it. */
  dir: string;
}

/** Supplies the data instead of a CSV; they pass the same checks as a CSV's (NaN, shapes, task kinds). */
export type DataLoader = (context: LoaderContext) => UserData | Promise<UserData>;

export interface UserDataOptions {
  /** The loader's module, for messages and provenance. */
  origin: string;
  /** The definition's folder, handed to the loader. */
  dir: string;
  /** `last:N`, `first:N` or names among the loader's targets. */
  tasks: string;
  taskKind: 'auto' | TaskKind;
}

/**
 * Runs a model module's data loader and checks what it returns as the CSV loader checks a file: a regular shape,
 * finite numbers, one target per example and task, task kinds (binary 0/1, no constant task). Rows in messages are
 * 1-based examples.
 */
export async function loadUserData(loader: DataLoader, options: UserDataOptions): Promise<Dataset> {
  const where = `${options.origin} loadData()`;
  let data: unknown;
  try {
    data = await loader({ tf, dir: options.dir });
  } catch (error) {
    throw new InputError(`${where} threw: ${firstLine(error)}`);
  }
  const { features, targets } = (data ?? {}) as { features?: unknown; targets?: unknown };
  if (features === undefined || typeof targets !== 'object' || targets === null || Array.isArray(targets))
    throw new InputError(
      `${where} must return { features, targets }: features [examples, ...shape], targets { task: one number per example }`,
    );
  const { values, shape } = featureValues(features, where);
  const [rows, ...inputShape] = shape;
  if (rows < DEFAULT_MIN_ROWS)
    throw new DataError(
      where,
      `${rows} examples; at least ${DEFAULT_MIN_ROWS} are needed for train/validation/test splits`,
    );
  const width = values.length / rows;
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new DataError(
      where,
      `feature ${bad % width} is ${values[bad]}, not a finite number`,
      Math.floor(bad / width) + 1,
      'features',
    );
  const available = Object.keys(targets);
  for (const name of available) {
    const problem = nameProblem(name);
    if (problem) throw new InputError(`${where}: target ${problem}`);
  }
  const lookAlike = lookAlikeProblem(available);
  if (lookAlike) throw new InputError(`${where}: targets ${lookAlike}`);
  const taskNames = resolveTaskColumns(available, options.tasks, where, 0);
  const lines = Array.from({ length: rows }, (_, r) => r + 1);
  const notes: string[] = [];
  const columns = taskNames.map((name) => targetValues((targets as Record<string, unknown>)[name], name, rows, where));
  const taskKinds = taskNames.map((name, t) => checkTask(columns[t], name, options.taskKind, where, lines, notes));
  const T = taskNames.length;
  const interleaved = new Float32Array(rows * T);
  columns.forEach((column, t) => column.forEach((v, r) => (interleaved[r * T + t] = v)));
  const hash = createHash('sha256')
    .update(JSON.stringify({ inputShape, taskNames }))
    .update(new Uint8Array(values.buffer))
    .update(new Uint8Array(interleaved.buffer));
  return {
    source: where,
    sha256: hash.digest('hex'),
    featureNames: Array.from({ length: width }, (_, i) => `x${i}`),
    taskNames,
    taskKinds,
    rows,
    features: values,
    targets: interleaved,
    inputShape,
    ...(notes.length ? { notes } : {}),
  };
}

/** The shape of nested arrays of numbers, or null when they are ragged or hold something else. */
function regularShape(value: unknown): number[] | null {
  if (typeof value === 'number') return [];
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) return null;
  const items = value as ArrayLike<unknown>;
  if (items.length === 0) return [0];
  const inner = regularShape(items[0]);
  if (!inner) return null;
  for (let i = 1; i < items.length; i++) {
    const shape = regularShape(items[i]);
    if (!shape || shape.length !== inner.length || shape.some((n, d) => n !== inner[d])) return null;
  }
  return [items.length, ...inner];
}

/** The features as float32 values, row-major, and their shape [examples, ...one example's shape]. */
function featureValues(features: unknown, where: string): { values: Float32Array; shape: number[] } {
  let tensor: tf.Tensor;
  try {
    // checked here, not left to tf.tensor: the tensorflow backend accepts ragged arrays that wasm refuses
    if (!(features instanceof tf.Tensor) && !regularShape(features)) throw new Error('ragged or not numbers');
    tensor = features instanceof tf.Tensor ? features : tf.tensor(features as number[][]);
  } catch (error) {
    throw new InputError(`${where}: features are not a regular array of numbers (${firstLine(error)})`);
  }
  try {
    if (tensor.rank < 2)
      throw new InputError(
        `${where}: features have shape [${tensor.shape.join(', ')}]; expected [examples, ...one example's shape]`,
      );
    return { values: Float32Array.from(tensor.dataSync()), shape: tensor.shape };
  } finally {
    if (tensor !== features) tensor.dispose();
  }
}

function targetValues(target: unknown, name: string, rows: number, where: string): Float32Array {
  const values =
    target instanceof tf.Tensor ? Float32Array.from(target.dataSync()) : Float32Array.from(target as ArrayLike<number>);
  if (values.length !== rows)
    throw new DataError(where, `${values.length} targets for ${rows} examples`, undefined, name);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new DataError(where, `target ${values[bad]} is not a finite number`, bad + 1, name);
  return values;
}
