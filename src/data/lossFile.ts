import { createHash } from 'node:crypto';
import { readCsv, readInputFile } from './csv.js';
import { DataError } from './errors.js';
import { nameProblem } from './names.js';
import { decimalOf, LOSS_MAX, lossProblem, MAX_INDEX } from './numbers.js';

/** The long format of measured losses (docs/BRING-YOUR-OWN.md, "Bring your results"): name and version a file may declare. */
export const LOSS_SCHEMA = 'task-relations/losses';
export const LOSS_SCHEMA_VERSION = 2;
/** Fields version 2 added (version 1 files stay valid: both are optional). */
const VERSION_2_FIELDS = ['examples', 'cost'];

export type Split = 'validation' | 'test';
/** How the file states its metric: a loss (lower is better) or an accuracy in [0, 1], imported as error 1 - accuracy. */
export type Metric = 'loss' | 'accuracy';

/** One row: task `task`'s value in the network trained on `network`, in one replication, split and (optionally) epoch. */
export interface LossRow {
  /** The file and line the row was read from (an import may merge several files). */
  file: string;
  line: number;
  network: string[];
  task: string;
  seed: number;
  fold?: number;
  split: Split;
  /** Always lower-is-better here: an accuracy is already converted. */
  loss: number;
  epoch?: number;
  /** Test rows only: each test example's loss (lower is better), the same examples in the same order in every network. */
  examples?: number[];
  /** What training the network cost; absent means 1 (a full-size network). */
  cost?: number;
}

export interface LossFile {
  file: string;
  sha256: string;
  metric: Metric;
  /** The lowest schema version that describes the file (2 when it uses `examples` or `cost`). */
  version: number;
  rows: LossRow[];
}

const REQUIRED = ['network', 'task', 'seed', 'split'];
const OPTIONAL = ['fold', 'epoch', ...VERSION_2_FIELDS];
const METRICS: Metric[] = ['loss', 'accuracy'];
/** The fields a row may have (the import format's JSON Schema, data/lossRowSchema.ts, is checked against them). */
export const LOSS_FIELDS = { required: REQUIRED, optional: OPTIONAL, metrics: METRICS } as const;

/** Reads a CSV (`.csv`) or JSON-lines (anything else) file of the long format; every mistake names its line and field. */
export function readLossFile(file: string): LossFile {
  const bytes = readInputFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const records = file.toLowerCase().endsWith('.csv')
    ? csvRecords(file)
    : jsonLinesRecords(file, bytes.toString('utf8'));
  if (records.length === 0) throw new DataError(file, 'no rows');
  const fields = new Set(records.flatMap((r) => Object.keys(r.cells)));
  const metrics = METRICS.filter((m) => fields.has(m));
  if (metrics.length !== 1)
    throw new DataError(
      file,
      `state the metric with exactly one value field, 'loss' (lower is better) or 'accuracy' (higher is better, in [0, 1]); found ${metrics.length ? metrics.join(' and ') : 'neither'}`,
    );
  const metric = metrics[0];
  const version = VERSION_2_FIELDS.some((name) => fields.has(name)) ? 2 : 1;
  return { file, sha256, metric, version, rows: records.map((r) => lossRow(file, r, metric)) };
}

interface RawRecord {
  line: number;
  cells: Record<string, unknown>;
}

function checkFields(file: string, line: number, names: string[]): void {
  const known = [...REQUIRED, ...OPTIONAL, ...METRICS];
  for (const name of names)
    if (!known.includes(name))
      throw new DataError(
        file,
        `unknown field (schema ${LOSS_SCHEMA} v${LOSS_SCHEMA_VERSION} knows ${known.join(', ')})`,
        line,
        name,
      );
  for (const name of REQUIRED) if (!names.includes(name)) throw new DataError(file, `missing field '${name}'`, line);
}

function csvRecords(file: string): RawRecord[] {
  const table = readCsv(file);
  checkFields(file, 1, table.header);
  return table.rows.map((cells, r) => ({
    line: table.lines[r],
    // An empty optional cell is an absent value.
    cells: Object.fromEntries(
      table.header.flatMap((name, c) =>
        cells[c].trim() === '' && !REQUIRED.includes(name) ? [] : [[name, cells[c].trim()]],
      ),
    ),
  }));
}

function jsonLinesRecords(file: string, text: string): RawRecord[] {
  const records: RawRecord[] = [];
  let declared: number | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new DataError(file, 'not JSON (one object per line)', line);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new DataError(file, 'expected a JSON object', line);
    const cells = value as Record<string, unknown>;
    if ('schema' in cells) {
      if (cells.schema !== LOSS_SCHEMA || !(cells.version === 1 || cells.version === LOSS_SCHEMA_VERSION))
        throw new DataError(
          file,
          `declares ${String(cells.schema)} version ${String(cells.version)}; this tool reads ${LOSS_SCHEMA} versions 1 and ${LOSS_SCHEMA_VERSION}`,
          line,
        );
      declared = cells.version;
      return;
    }
    checkFields(file, line, Object.keys(cells));
    const newer = declared === 1 && VERSION_2_FIELDS.find((name) => name in cells);
    if (newer)
      throw new DataError(file, `'${newer}' is a field of version 2, but the file declares version 1`, line, newer);
    records.push({ line, cells });
  });
  return records;
}

function lossRow(file: string, { line, cells }: RawRecord, metric: Metric): LossRow {
  const fail = (column: string, problem: string): never => {
    throw new DataError(file, problem, line, column);
  };
  const text = (name: string): string => {
    const value = cells[name];
    if (typeof value !== 'string' || value.trim() === '') fail(name, 'expected a non-empty text');
    const problem = nameProblem((value as string).trim());
    if (problem) fail(name, problem);
    return (value as string).trim();
  };
  const integer = (name: string, min: number): number | undefined => {
    const value = cells[name];
    if (value === undefined || value === null) return undefined;
    const n =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
          ? Number(value)
          : NaN;
    // a journal holds safe integers only: a larger one would be written but never read back
    if (!(Number.isInteger(n) && n >= min && n <= MAX_INDEX))
      fail(name, `expected an integer from ${min} to ${MAX_INDEX}, got ${JSON.stringify(value)}`);
    return n;
  };
  const network = text('network')
    .split('+')
    .map((t) => t.trim());
  if (network.some((t) => t === '')) fail('network', `'${cells.network}': task names joined by '+', e.g. depth+normal`);
  if (new Set(network).size !== network.length) fail('network', `'${cells.network}' names a task twice`);
  const task = text('task');
  if (!network.includes(task)) fail('task', `'${task}' is not one of the network's tasks (${network.join(', ')})`);
  const split = text('split');
  if (split !== 'validation' && split !== 'test') fail('split', `'${split}': expected validation or test`);
  const raw = cells[metric];
  const value = decimalOf(raw);
  if (!Number.isFinite(value)) fail(metric, `expected a finite number (plain decimal), got ${JSON.stringify(raw)}`);
  if (metric === 'accuracy' && !(value >= 0 && value <= 1)) fail(metric, `an accuracy lies in [0, 1], got ${value}`);
  const loss = metric === 'accuracy' ? 1 - value : value;
  const cost = positiveNumber(cells.cost, (problem) => fail('cost', problem));
  const examples = exampleLosses(cells.examples, (problem) => fail('examples', problem));
  if (examples && split !== 'test')
    fail('examples', "per-example losses belong to test rows (the taxonomy's tournaments score on test)");
  // The gain 1 - L_i({i,j}) / L_i({i}) divides by losses.
  if (metric === 'accuracy' && loss === 0)
    fail(metric, 'an accuracy of 1 leaves an error of 0, which the affinity cannot divide by');
  const problem = lossProblem(loss);
  if (problem) fail(metric, problem);
  return {
    file,
    line,
    network,
    task,
    seed: integer('seed', 0) ?? fail('seed', 'required'),
    fold: integer('fold', 0),
    split: split as Split,
    loss,
    epoch: integer('epoch', 1),
    ...(examples ? { examples } : {}),
    ...(cost === undefined ? {} : { cost }),
  };
}

/** An optional positive number, as text or JSON. */
function positiveNumber(value: unknown, fail: (problem: string) => never): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = decimalOf(value);
  if (!(Number.isFinite(n) && n > 0)) fail(`expected a positive number, got ${JSON.stringify(value)}`);
  return n <= LOSS_MAX ? n : fail(`expected a positive number up to ${LOSS_MAX}, got ${JSON.stringify(value)}`);
}

/** Per-example losses: a JSON array of numbers, or in CSV one cell of numbers separated by spaces. */
function exampleLosses(value: unknown, fail: (problem: string) => never): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items: unknown[] = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.trim().split(/\s+/)
      : fail(`expected an array of numbers, got ${JSON.stringify(value)}`);
  if (items.length === 0) fail('no per-example losses (omit the field instead)');
  return items.map((item, k) => {
    const n = decimalOf(item);
    if (!(Number.isFinite(n) && n >= 0))
      fail(`example ${k + 1} of ${items.length}: expected a finite loss of at least 0, got ${JSON.stringify(item)}`);
    const problem = lossProblem(n, true);
    if (problem) fail(`example ${k + 1} of ${items.length}: ${problem}`);
    return n;
  });
}
