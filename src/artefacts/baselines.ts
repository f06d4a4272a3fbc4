import { z } from '../vendor/zod.js';
import type { ComparisonTable } from '../baselines/compare.js';
import type { TaskKind } from '../data/dataset.js';
import { artefactObject, filesIn, finite, jsonNumber, list, object, readArtefact, text, writeJson } from './files.js';
import { csvText } from '../io/csv.js';
import { writeFileAtomic } from '../io/write.js';

/** baselines.json: held-out loss per task of each linear multi-task baseline (a column), as `tra baselines` writes it. */
export const baselinesSchema = artefactObject({
  data: object({
    source: text.optional(),
    sha256: text.optional(),
    rows: finite.optional(),
    trainRows: finite.optional(),
    testRows: finite.optional(),
  }).optional(),
  split: text.optional(),
  seed: finite.optional(),
  folds: finite.optional(),
  tolerance: object({ final: finite, crossValidation: finite, measure: text.optional() }).optional(),
  taskNames: list(text),
  taskKinds: list(z.enum(['binary', 'regression'], { error: "expected 'binary' or 'regression'" })).optional(),
  /** Per task: 'mse' or 'bce'. */
  metrics: list(text).optional(),
  columns: list(
    object({
      name: text,
      /** Held-out loss per task (lower is better). */
      perTask: list(jsonNumber),
      /** Their sum: raw losses, as Standley et al. compare them. */
      total: jsonNumber.optional(),
      /** How the column was obtained (chosen hyper-parameters, timing, solver residual, ...). */
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
}).superRefine((value, context) =>
  value.columns.forEach((c, k) => {
    if (c.perTask.length !== value.taskNames.length)
      context.addIssue({
        code: 'custom',
        path: ['columns', k, 'perTask'],
        message: `${c.perTask.length} values for ${value.taskNames.length} tasks`,
      });
  }),
);

export type BaselinesArtefact = z.infer<typeof baselinesSchema>;

export const BASELINES_FILES = { json: 'baselines.json', csv: 'baselines.csv' };

/** baselines.json (everything) and baselines.csv (one row per task and a total row, one column per method). */
export function writeBaselines(dir: string, data: BaselinesArtefact): typeof BASELINES_FILES {
  const files = filesIn(dir, BASELINES_FILES);
  writeJson(files.json, data);
  const { taskNames, metrics = [], taskKinds = [] } = data;
  const number = (v: number | null | undefined): number => v ?? NaN;
  const columns = data.columns.map((c) => ({
    name: c.name,
    perTask: c.perTask.map(number),
    total: number(c.total),
    details: c.details ?? {},
  }));
  writeFileAtomic(files.csv, comparisonCsv({ taskNames, taskKinds: taskKinds as TaskKind[], metrics, columns }));
  return files;
}

/** A checked baselines.json: an InputError names the file and the field of the first problem. */
export const readBaselines = (path: string): BaselinesArtefact => readArtefact(baselinesSchema, path, 'baselines');

/** One row per task and a final 'total' row; one column per method. */
export function comparisonCsv(table: ComparisonTable): string {
  const header = ['task', 'kind', 'loss', ...table.columns.map((c) => c.name)];
  const rows = table.taskNames.map((name, t) => [
    name,
    table.taskKinds[t],
    table.metrics[t],
    ...table.columns.map((c) => c.perTask[t]),
  ]);
  rows.push(['total', '', 'sum', ...table.columns.map((c) => c.total)]);
  return csvText([header, ...rows]);
}
