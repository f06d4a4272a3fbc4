import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { readInputFile } from './csv.js';
import { DataError, InputError } from './errors.js';
import { LOSS_SCHEMA_VERSION, readLossFile, type LossFile, type LossRow, type Metric } from './lossFile.js';
import { parseResult, ResultError, type NetworkResult } from './resultFile.js';

/** One file of an import: where it was read from, a hash of its bytes, how many rows it gave (a result: 2 per task). */
export interface SourceFile {
  file: string;
  sha256: string;
  rows: number;
  /** Where the output folder keeps its copy (relative to the folder), so that a later import can read it again. */
  copy?: string;
}

/**
 * One file an import reads: rows of the long format, or one network's result file (the training command's contract,
 * data/resultFile.ts), which has no rows but the result itself.
 */
export type LossSource = LossFile & { result?: NetworkResult };

/** One network's result file, named by its file. */
export interface ResultInput {
  file: string;
  result: NetworkResult;
}

/** The rows of several files of the long format and result files, checked to describe one set of networks. */
export interface MergedLosses {
  sources: SourceFile[];
  metric: Metric;
  /** The lowest schema version describing every file. */
  version: number;
  /** Every file's rows, in file order; each row names its file and line. */
  rows: LossRow[];
  /** Every result file's network. */
  results: ResultInput[];
}

/**
 * Reads one file of an import: a `.json` file holding one object with `tasks` is a network's result file (what a
 * training command writes, checked by the one result schema); anything else is the long format (lossFile.ts).
 */
export function readLossSource(file: string): LossSource {
  if (file.toLowerCase().endsWith('.json')) {
    const bytes = readInputFile(file);
    const text = bytes.toString('utf8');
    if (isResultText(text)) {
      let result: NetworkResult;
      try {
        result = parseResult(text);
      } catch (error) {
        if (error instanceof ResultError) throw new DataError(file, `not a valid result file: ${error.message}`);
        throw error;
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      return { file, sha256, metric: 'loss', version: LOSS_SCHEMA_VERSION, rows: [], result };
    }
  }
  return readLossFile(file);
}

/** A whole JSON object with a `tasks` field: a result file rather than JSON lines of the long format. */
function isResultText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text.replace(/\b(-?Infinity|NaN)\b/g, 'null'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) && 'tasks' in value;
  } catch {
    return false;
  }
}

/**
 * The files the arguments name, in order: a pattern with wildcards (`results/seed-*.csv`, quoted so that tra expands
 * it) stands for the files it matches, sorted; a pattern matching nothing is an error, as is a missing file. A file
 * named twice is read once.
 */
export function expandInputs(patterns: string[]): string[] {
  const files = patterns.flatMap((pattern) => {
    if (!isDynamicPattern(pattern) || existsSync(pattern)) return [pattern];
    const matched = globSync(pattern, { onlyFiles: true, expandDirectories: false }).sort();
    if (matched.length === 0) throw new InputError(`'${pattern}' matches no file`);
    return matched;
  });
  return [...new Set(files)];
}

/**
 * What every file of one import must share: its form of replications and epochs, and its metric. (Per-example losses
 * are checked row by row: the sweep's networks have them all or none, the closed loop's need none.)
 */
const FORM: { name: string; of: (file: LossSource) => string; says: (value: string) => string }[] = [
  { name: 'metric', of: (f) => f.metric, says: (metric) => `states its metric as ${metric}` },
  {
    name: 'fold',
    of: (f) => String((f.result ?? f.rows[0]).fold !== undefined),
    says: (has) => (has === 'true' ? 'has folds (cross-fitted)' : 'has no folds'),
  },
  {
    name: 'epoch',
    of: (f) => String(f.result ? Object.values(f.result.tasks).some((t) => t.epochs) : f.rows[0].epoch !== undefined),
    says: (has) => (has === 'true' ? 'has per-epoch losses' : 'has no per-epoch losses'),
  },
];

/**
 * Several files of measured losses as one: they must agree in metric, folds and epochs (a file of another
 * configuration is an error naming both files); files with the same bytes count once. Rows are checked
 * against each other later, network by network (sweep/imported.ts).
 */
export function mergeLossFiles(files: (LossSource & { copy?: string })[]): MergedLosses {
  const unique = [...new Map(files.map((f) => [f.sha256, f])).values()];
  const [first] = unique;
  for (const file of unique.slice(1))
    for (const form of FORM)
      if (form.of(file) !== form.of(first))
        throw new DataError(
          file.file,
          `${form.says(form.of(file))}, but ${first.file} ${form.says(form.of(first))}: the files of one import measure the same kind of networks (import the other kind into another folder)`,
          file.rows[0]?.line,
          form.name === 'metric' ? undefined : form.name,
        );
  return {
    sources: unique.map((f) => ({
      file: f.file,
      sha256: f.sha256,
      rows: f.result ? 2 * Object.keys(f.result.tasks).length : f.rows.length,
      ...(f.copy ? { copy: f.copy } : {}),
    })),
    metric: first.metric,
    version: Math.max(...unique.map((f) => f.version)),
    rows: unique.flatMap((f) => f.rows),
    results: unique.flatMap((f) => (f.result ? [{ file: f.file, result: f.result }] : [])),
  };
}
