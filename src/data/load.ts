import { createHash } from 'node:crypto';
import { readCsv } from './csv.js';
import { resolveNamedColumns, resolveTaskColumns } from './columns.js';
import type { Dataset, TaskKind } from './dataset.js';
import { DataError, InputError } from './errors.js';
import { fitsFloat32, parseDecimal } from './numbers.js';

export interface LoadOptions {
  /** `last:N`, `first:N` or comma-separated column names. */
  tasks: string;
  /** Comma-separated feature column names; default: every column that is not a task. */
  features?: string;
  /** `auto` (binary when every value is 0 or 1), or one kind for all tasks. */
  taskKind?: 'auto' | TaskKind;
  /** Fewer rows than this is an error: the splits would be too small to mean anything. */
  minRows?: number;
  /** Columns that may only ever be targets (see Dataset.targetOnly): left out of the default features. */
  targetOnly?: string[];
}

export const DEFAULT_MIN_ROWS = 30;

/** Loads and validates a CSV into a Dataset; every problem is a DataError naming file, line and column. */
export function loadDataset(file: string, options: LoadOptions): Dataset {
  const table = readCsv(file);
  const taskNames = resolveTaskColumns(table.header, options.tasks, file);
  const targetOnlyNames = options.targetOnly?.length
    ? resolveNamedColumns(table.header, options.targetOnly.join(','), file, 'auxiliaryOnly')
    : [];
  const featureNames = options.features
    ? resolveNamedColumns(table.header, options.features, file, '--features')
    : table.header.filter((name) => !taskNames.includes(name) && !targetOnlyNames.includes(name));
  const overlap = featureNames.find((name) => taskNames.includes(name));
  if (overlap) throw new InputError(`${file}: column '${overlap}' is named both as a task and as a feature`);
  const leak = [...featureNames, ...taskNames].find((name) => targetOnlyNames.includes(name));
  if (leak)
    throw new InputError(
      `${file}: column '${leak}' is marked auxiliary-only (a target, never an input or a task) but is also named as a ${taskNames.includes(leak) ? 'task' : 'feature'}`,
    );
  if (featureNames.length === 0) throw new InputError(`${file}: no feature columns remain after choosing the tasks`);
  const minRows = options.minRows ?? DEFAULT_MIN_ROWS;
  if (table.rows.length < minRows)
    throw new DataError(
      file,
      `${table.rows.length} data rows; at least ${minRows} are needed for train/validation/test splits`,
    );

  const numericColumn = (name: string): Float32Array => {
    const column = table.header.indexOf(name);
    const values = new Float32Array(table.rows.length); // filled in a loop: Float32Array.from with a map is 3x slower
    for (let r = 0; r < values.length; r++) values[r] = parseCell(table.rows[r][column], file, table.lines[r], name);
    return values;
  };
  const featureColumns = featureNames.map(numericColumn);
  const targetColumns = taskNames.map(numericColumn);
  const notes = [...table.notes];
  const taskKinds = taskNames.map((name, t) =>
    checkTask(targetColumns[t], name, options.taskKind ?? 'auto', file, table.lines, notes),
  );
  return {
    source: file,
    sha256: createHash('sha256').update(table.bytes).digest('hex'),
    featureNames,
    taskNames,
    taskKinds,
    rows: table.rows.length,
    features: interleave(featureColumns),
    targets: interleave(targetColumns),
    ...(notes.length ? { notes } : {}),
    ...(targetOnlyNames.length ? { targetOnlyNames, targetOnly: interleave(targetOnlyNames.map(numericColumn)) } : {}),
  };
}

function parseCell(cell: string, file: string, line: number, column: string): number {
  const value = parseDecimal(cell);
  if (value !== undefined && fitsFloat32(value)) return value;
  const text = cell.trim();
  if (value === undefined && (text === '' || /^(na|nan|null|none|\?)$/i.test(text)))
    throw new DataError(file, `missing value${text ? ` '${text}'` : ''}`, line, column);
  if (value === undefined) throw new DataError(file, `not a decimal number: '${text}'`, line, column);
  // Training runs in float32: a larger magnitude would become Infinity there and silently spoil every loss.
  if (!fitsFloat32(value))
    throw new DataError(
      file,
      `${text} is beyond the float32 range (±3.4e38) that training uses; rescale the column`,
      line,
      column,
    );
  return value;
}

/** A regression target's squared error must stay finite in float32 (sqrt of its range, with room for a batch's sum). */
const MAX_REGRESSION_TARGET = 1e16;
/** Up to this many distinct integer values, a column looks like class codes rather than a measurement. */
const MAX_CODES = 10;

/**
 * A task's kind. With `auto`, 0/1 columns are binary; a two-valued column coded otherwise (-1/+1, 1/2) is an error
 * (a binary task the user must recode, or declare regression); a few integer codes (0/1/2) are fitted as regression
 * with a note naming the column; anything else is regression.
 */
export function checkTask(
  values: Float32Array,
  name: string,
  requested: 'auto' | TaskKind,
  file: string,
  lines: number[],
  notes: string[],
): TaskKind {
  const first = values[0];
  if (values.every((v) => v === first))
    throw new DataError(
      file,
      `task column is constant (every row is ${first}): there is nothing to learn`,
      undefined,
      name,
    );
  const nonBinary = values.findIndex((v) => v !== 0 && v !== 1);
  if (requested === 'binary' && nonBinary >= 0)
    throw new DataError(file, `binary task needs 0 or 1, found ${values[nonBinary]}`, lines[nonBinary], name);
  const kind = requested === 'auto' ? (nonBinary >= 0 ? 'regression' : 'binary') : requested;
  if (kind === 'regression') {
    const huge = values.findIndex((v) => Math.abs(v) > MAX_REGRESSION_TARGET);
    if (huge >= 0)
      throw new DataError(
        file,
        `regression target ${values[huge]} is beyond ±${MAX_REGRESSION_TARGET}: its squared error overflows float32; rescale the column`,
        lines[huge],
        name,
      );
  }
  if (requested !== 'auto' || kind === 'binary') return kind;
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length === 2)
    throw new DataError(
      file,
      `two-valued task coded ${distinct.join('/')}: recode it to 0/1 for a binary (cross-entropy) task, or set --task-kind regression (definition: taskKind) to fit every task by squared error`,
      undefined,
      name,
    );
  if (distinct.length <= MAX_CODES && distinct.every(Number.isInteger))
    notes.push(
      `task '${name}' holds the integer codes ${distinct.join(', ')}: fitted as regression (squared error on the codes); if they are classes, give each class its own 0/1 column`,
    );
  return kind;
}

function interleave(columns: Float32Array[]): Float32Array {
  const rows = columns[0].length;
  const width = columns.length;
  const out = new Float32Array(rows * width);
  columns.forEach((column, c) => column.forEach((value, r) => (out[r * width + c] = value)));
  return out;
}
