import type { Dataset } from '../../src/data/dataset.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'tra-test-'));

export function writeTemp(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

/** A small valid CSV: 40 rows, features f1 f2, binary tasks a b, a regression task r. */
export function validCsv(mutate: (lines: string[]) => string[] = (l) => l): string {
  const lines = ['f1,f2,a,b,r'];
  for (let i = 0; i < 40; i++)
    lines.push(`${i * 0.5},${(i * 7) % 11},${i % 2},${i % 3 === 0 ? 1 : 0},${(i * 1.5).toFixed(2)}`);
  return `${mutate(lines).join('\n')}\n`;
}

/** A dataset as the CSV a user would bring: features first, tasks last. */
export function datasetCsv(dataset: Dataset): string {
  const d = dataset.featureNames.length;
  const T = dataset.taskNames.length;
  const lines = [[...dataset.featureNames, ...dataset.taskNames].join(',')];
  for (let r = 0; r < dataset.rows; r++)
    lines.push(
      [...dataset.features.subarray(r * d, (r + 1) * d), ...dataset.targets.subarray(r * T, (r + 1) * T)].join(','),
    );
  return `${lines.join('\n')}\n`;
}
