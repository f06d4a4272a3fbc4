import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from '../vendor/zod.js';
import { InputError } from '../data/errors.js';
import { csvOfObjects } from '../io/csv.js';
import { createFolder, writeFileAtomic } from '../io/write.js';
import { issuePath } from '../data/schemaIssues.js';
import type { Interval } from '../affinity/stats.js';

/** JSON has no NaN or Infinity: undefined intervals (one replication) and infeasible values are written as null. */
export const finiteOrNull = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isFinite(value) ? null : value;

/** A value as JSON.stringify(value, finiteOrNull) gives it, or undefined where JSON has none (a function, undefined). */
const plainJson = (value: unknown): string | undefined => JSON.stringify(finiteOrNull('', value));

const isPlain = (value: unknown): boolean => typeof value !== 'object' || value === null;

/**
 * The JSON text of `value` in pieces (a piece per list of plain values, such as a matrix row), so that a large artefact
 * is never one string; the same value as JSON.stringify(value, finiteOrNull) gives. `spaced`: one level of indentation
 * per line, a list of plain values (a matrix row, the task names) on one line; else compact (exactly JSON.stringify's
 * text). Written by hand: streaming serialisers on npm (stringify-stream, json-array-streams) pass their spacing to
 * JSON.stringify, which puts every number of a matrix on a line of its own.
 */
export function* jsonPieces(value: unknown, spaced: boolean, depth = 0): Generator<string> {
  const own = typeof (value as { toJSON?: unknown })?.toJSON === 'function' ? (value as Date).toJSON() : value;
  if (isPlain(own)) {
    yield plainJson(own) ?? 'null';
    return;
  }
  const inner = spaced ? `\n${' '.repeat(depth + 1)}` : '';
  const close = spaced ? `\n${' '.repeat(depth)}` : '';
  if (Array.isArray(own)) {
    if (own.every(isPlain)) {
      yield `[${own.map((item) => plainJson(item) ?? 'null').join(',')}]`;
      return;
    }
    yield '[';
    for (let k = 0; k < own.length; k++) {
      yield `${k > 0 ? ',' : ''}${inner}`;
      yield* jsonPieces(own[k], spaced, depth + 1);
    }
    yield `${close}]`;
    return;
  }
  const entries = Object.entries(own as object).filter(
    ([, item]) => item !== undefined && typeof item !== 'function' && typeof item !== 'symbol',
  );
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (let k = 0; k < entries.length; k++) {
    yield `${k > 0 ? ',' : ''}${inner}${JSON.stringify(entries[k][0])}:${spaced ? ' ' : ''}`;
    yield* jsonPieces(entries[k][1], spaced, depth + 1);
  }
  yield `${close}}`;
}

/** A plain value JSON.parse gives back as it is (no NaN, ±Infinity, −0, undefined, function or bigint). */
const isJsonAsItIs = (value: unknown): boolean =>
  typeof value === 'number'
    ? Number.isFinite(value) && !Object.is(value, -0)
    : typeof value === 'string' || typeof value === 'boolean' || value === null;

/** A plain value as JSON.parse gives it back from plainJson's text (NaN and ±Infinity become null, −0 becomes 0). */
function plainValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null;
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  const text = plainJson(value); // undefined, a function, a symbol: null; a bigint throws as JSON.stringify does
  return text === undefined ? null : JSON.parse(text);
}

/** An index of a list of `length` items, as a property key. */
const isIndexOf = (key: string | symbol, length: number): key is string =>
  typeof key === 'string' && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < length;

/**
 * `list` with each item read as `read(item)` when it is read, not copied: a list to every reader (Array.isArray, its
 * length, indexing, its methods, JSON), made of no more than the list it reads. For a matrix's rows derived cell by cell
 * (as JSON reads them back, rounded for the page) that would otherwise be a T x T copy (8 MB at 1000 tasks). `list` is
 * not changed afterwards.
 */
export const listView = <T, U>(list: readonly T[], read: (item: T) => U): U[] =>
  new Proxy(list as unknown as U[], {
    get: (target, key, receiver) =>
      isIndexOf(key, target.length)
        ? read((target as unknown as T[])[Number(key)])
        : Reflect.get(target, key, receiver),
    getOwnPropertyDescriptor: (target, key) => {
      const own = Reflect.getOwnPropertyDescriptor(target, key);
      return own && isIndexOf(key, target.length) ? { ...own, value: read(own.value as T) } : own;
    },
  });

/**
 * The value JSON.parse gives back from jsonPieces' text, built without the text: a 1000-task affinity.json is 116 MB
 * of text that its reader would parse again. It follows jsonPieces step by step (toJSON, a list's items, an object's
 * entries in order), so JSON.parse(jsonPieces(value)) and jsonValue(value) are equal by construction. A list of values
 * JSON keeps as they are (a matrix row without NaN) is shared with `value`, not copied, and a list of other plain values
 * (a row with NaN, which JSON reads back as null: with one seed every row of the bounds and p-values, three copies at
 * 24 MB at 1000 tasks) is read through a view of it (listView): neither is changed afterwards.
 */
export function jsonValue(value: unknown): unknown {
  const own = typeof (value as { toJSON?: unknown })?.toJSON === 'function' ? (value as Date).toJSON() : value;
  if (isPlain(own)) return plainValue(own);
  if (Array.isArray(own) && own.every(isJsonAsItIs)) return own;
  if (Array.isArray(own) && own.every((item) => isPlain(item) && typeof item !== 'bigint'))
    return listView(own, plainValue);
  if (Array.isArray(own)) return own.map((item) => (isPlain(item) ? plainValue(item) : jsonValue(item)));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(own as object))
    if (item !== undefined && typeof item !== 'function' && typeof item !== 'symbol')
      // defined, not assigned: a key `__proto__` is an own field in JSON.parse's value too
      Object.defineProperty(copy, key, {
        value: jsonValue(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  return copy;
}

/** A JSON artefact, written as it is serialised (jsonPieces, spaced), never held as one string. */
export const writeJson = (path: string, value: unknown): void =>
  writeFileAtomic(
    path,
    (function* () {
      yield* jsonPieces(value, true);
      yield '\n';
    })(),
  );

/** A CSV with a header row from the objects' keys (io/csv.ts: d3's quoting, formula-like text escaped). */
export const writeCsv = (path: string, rows: object[]): void => writeFileAtomic(path, csvOfObjects(rows));

/** The paths of an artefact's files in `dir` (created if missing), from their names. */
export function filesIn<K extends string>(dir: string, names: Record<K, string>): Record<K, string> {
  createFolder(dir);
  return Object.fromEntries(Object.entries(names).map(([key, name]) => [key, join(dir, name as string)])) as Record<
    K,
    string
  >;
}

/** A JSON file's value; an unreadable or malformed file is an InputError naming it. */
export function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/** The value found at a zod issue's path (to tell a missing field from a wrong one). */
const at = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (v, key) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined),
    value,
  );

/**
 * `value` checked against a schema; the first problem is an InputError naming `where` and the field's JSON path
 * (e.g. `reports/x/grouping.json grouping.closedLoop.actual.low: expected a finite number or null`).
 */
export function checkShape<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issuePath(issue.path);
  const field = path === '' ? '' : path.startsWith('[') ? path : `.${path}`;
  const missing = issue.path.length > 0 && at(value, issue.path) === undefined ? ' (missing)' : '';
  throw new InputError(`${where}${field}: ${issue.message}${missing}`);
}

/** An artefact's value checked against its schema, errors naming the file and the field from `root`. */
export const parseArtefact = <S extends z.ZodType>(schema: S, value: unknown, file: string, root: string): z.infer<S> =>
  checkShape(schema, value, `${file} ${root}`);

/** Reads and checks one artefact file (see checkShape). */
export const readArtefact = <S extends z.ZodType>(schema: S, path: string, root: string): z.infer<S> =>
  parseArtefact(schema, readJson(path), path, root);

// The building blocks of the artefacts' schemas, with the messages a user reads.
export const finite = z.number({ error: 'expected a finite number' });
export const count = z
  .number({ error: 'expected a whole number' })
  .int({ error: 'expected a whole number' })
  .nonnegative({ error: 'expected a whole number' });
export const text = z.string({ error: 'expected a string' });
export const flag = z.boolean({ error: 'expected true or false' });
/** A number as read back from JSON: NaN and ±Infinity were written as null. */
export const jsonNumber = z.number({ error: 'expected a finite number or null' }).nullable();
export const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'expected a list' });
/** A nested object: fields the schema does not name are left out when read. */
export const object = <T extends z.core.$ZodLooseShape>(shape: T) => z.object(shape, { error: 'expected an object' });
/** An artefact's top level: fields the schema does not name (a newer writer's) are kept. */
export const artefactObject = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.looseObject(shape, { error: 'expected an object' });
/** What `jsonNumber` accepts, as a quick test. */
const isJsonNumber = (value: unknown): value is number | null =>
  value === null || (typeof value === 'number' && Number.isFinite(value));

/**
 * A list of lists of `cell`, checked without being copied: zod's own list(list(cell)) makes a new array per row and a
 * result per cell (eight matrices of a million cells in a 1000-task affinity.json: most of the memory of reading it).
 * `accepts` is a quick test no laxer than `cell`; where it refuses a cell, zod's list(list(cell)) checks the matrix, so
 * a problem reads as it did (its message and path). Its issues stop the checks around it, as a list's type error does.
 */
export function matrixOf<C extends z.ZodType>(cell: C, accepts: (value: unknown) => boolean) {
  const lists = list(list(cell));
  return z.custom<z.output<typeof lists>>().superRefine((value, context) => {
    if (Array.isArray(value) && value.every((row) => Array.isArray(row) && row.every(accepts))) return;
    const checked = lists.safeParse(value);
    if (!checked.success)
      for (const { path, message } of checked.error.issues)
        context.addIssue({ code: 'custom', path, message, input: value, continue: false });
  });
}

/** A T×T matrix; [i][j] concerns target (row) task i and source (column) task j. */
export const matrix = matrixOf(jsonNumber, isJsonNumber);
/** A matrix of JSON numbers each of which (but null) `holds`, refused with `error` where one does not. */
export const numberMatrix = (holds: (value: number) => boolean, error: string) =>
  matrixOf(
    jsonNumber.refine((value) => value === null || holds(value), { error }),
    (value) => isJsonNumber(value) && (value === null || holds(value)),
  );
/** {mean, low, high[, n]}: bounds null when undefined (e.g. from one replication). */
export const interval = object({ mean: jsonNumber, low: jsonNumber, high: jsonNumber, n: finite.optional() });
/** Groups of task names. */
export const groups = list(list(text));

/** An interval as the files store it: its other fields (per-replication totals, ...) left out. */
export const intervalJson = ({ mean, low, high, n }: Interval): Interval => ({ mean, low, high, n });

export type JsonNumber = z.infer<typeof jsonNumber>;
export type JsonMatrix = z.infer<typeof matrix>;
export type IntervalJson = z.infer<typeof interval>;
