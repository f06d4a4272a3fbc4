import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AFFINITY_FILES, readAffinity } from '../../artefacts/affinity.js';
import { InputError } from '../../data/errors.js';
import { SECTIONS } from '../views/registry.js';
import type { Section } from '../views/section.js';
import type { ReportInput } from './input.js';
import { writeReport } from './render.js';

/** Reads `<dir>/affinity.json` and whichever optional section files exist; a missing or malformed file is an InputError. */
export function readReportInput(dir: string): ReportInput {
  const affinityPath = join(dir, AFFINITY_FILES.json);
  if (!existsSync(affinityPath))
    throw new InputError(
      `${affinityPath} not found: run a pairwise sweep into ${dir} first (tra run / tra sweep --out ${dir})`,
    );
  const affinity = readAffinity(affinityPath);
  const input: ReportInput = { affinity };
  for (const section of SECTIONS as readonly Section[]) {
    if (section.file === undefined) {
      section.check?.(affinity, affinityPath);
      continue;
    }
    const path = join(dir, section.file);
    const own = existsSync(path) ? section.read(path) : undefined;
    if (own !== undefined) (input as unknown as Record<string, unknown>)[section.key] = own;
  }
  return input;
}

/** `tra report <dir>`: reads the folder's JSON files and writes `<dir>/index.html`; returns its path. */
export function writeReportForDir(dir: string): string {
  return writeReport(dir, readReportInput(dir));
}

/** After a command adds a section file: redraw the folder's report if it has one (a report needs affinity.json). */
export function refreshReport(dir: string): string | undefined {
  return existsSync(join(dir, AFFINITY_FILES.json)) ? writeReportForDir(dir) : undefined;
}
