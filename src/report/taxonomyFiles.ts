import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvFormatRows } from 'd3';
import { writeJson } from './json.js';

export interface TaxonomyFiles {
  json: string;
  losses: string;
  affinity: string;
}

/** A T×T matrix as CSV: one row per target, one column per source (the diagonal is the target's own network). */
const matrixCsv = (taskNames: string[], matrix: number[][]): string =>
  csvFormatRows([['target', ...taskNames], ...matrix.map((row, t) => [taskNames[t], ...row.map(String)])]) + '\n';

/** taxonomy.json (everything, with the report's graph at its top level) and the first-order matrices as CSV. */
export function writeTaxonomyFiles(dir: string, taskNames: string[], json: object, firstOrder: { loss: number[][]; affinity: number[][] }): TaxonomyFiles {
  mkdirSync(dir, { recursive: true });
  const files = { json: join(dir, 'taxonomy.json'), losses: join(dir, 'taxonomy-losses.csv'), affinity: join(dir, 'taxonomy-affinity.csv') };
  writeJson(files.json, json);
  writeFileSync(files.losses, matrixCsv(taskNames, firstOrder.loss));
  writeFileSync(files.affinity, matrixCsv(taskNames, firstOrder.affinity));
  return files;
}
