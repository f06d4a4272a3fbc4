import { existsSync } from 'node:fs';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { DataError, InputError } from './errors.js';
import type { LossFile, LossRow, Metric } from './lossFile.js';

/** One file of an import: where it was read from, a hash of its bytes, how many rows it gave. */
export interface SourceFile {
  file: string;
  sha256: string;
  rows: number;
  /** Where the output folder keeps its copy (relative to the folder), so that a later import can read it again. */
  copy?: string;
}

/** The rows of several files of the long format, checked to describe one set of networks. */
export interface MergedLosses {
  sources: SourceFile[];
  metric: Metric;
  /** The lowest schema version describing every file. */
  version: number;
  /** Every file's rows, in file order; each row names its file and line. */
  rows: LossRow[];
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
const FORM: { name: string; of: (file: LossFile) => string; says: (value: string) => string }[] = [
  { name: 'metric', of: (f) => f.metric, says: (metric) => `states its metric as ${metric}` },
  {
    name: 'fold',
    of: (f) => String(f.rows[0].fold !== undefined),
    says: (has) => (has === 'true' ? 'has a fold column (cross-fitted)' : 'has no fold column'),
  },
  {
    name: 'epoch',
    of: (f) => String(f.rows[0].epoch !== undefined),
    says: (has) => (has === 'true' ? 'has per-epoch rows' : 'has no per-epoch rows'),
  },
];

/**
 * Several files of measured losses as one: they must agree in metric, folds and epochs (a file of another
 * configuration is an error naming both files); files with the same bytes count once. Rows are checked
 * against each other later, network by network (sweep/imported.ts).
 */
export function mergeLossFiles(files: (LossFile & { copy?: string })[]): MergedLosses {
  const unique = [...new Map(files.map((f) => [f.sha256, f])).values()];
  const [first] = unique;
  for (const file of unique.slice(1))
    for (const form of FORM)
      if (form.of(file) !== form.of(first))
        throw new DataError(
          file.file,
          `${form.says(form.of(file))}, but ${first.file} ${form.says(form.of(first))}: the files of one import measure the same kind of networks (import the other kind into another folder)`,
          file.rows[0].line,
          form.name === 'metric' ? undefined : form.name,
        );
  return {
    sources: unique.map((f) => ({
      file: f.file,
      sha256: f.sha256,
      rows: f.rows.length,
      ...(f.copy ? { copy: f.copy } : {}),
    })),
    metric: first.metric,
    version: Math.max(...unique.map((f) => f.version)),
    rows: unique.flatMap((f) => f.rows),
  };
}
