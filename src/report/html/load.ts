import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AFFINITY_FILES, readAffinity, type AffinityArtefact } from '../../artefacts/affinity.js';
import { InputError } from '../../data/errors.js';
import { SECTIONS } from '../views/registry.js';
import type { FileSection, Section } from '../views/section.js';
import type { ReportInput } from './input.js';
import { writeReport } from './render.js';

/**
 * Reads `<dir>/affinity.json` and whichever optional section files exist; a missing or malformed file is an InputError.
 * `written`: affinity.json's content as read back (checked as readAffinity checks it), when the caller has just written
 * it (not read again).
 */
export function readReportInput(dir: string, written?: AffinityArtefact): ReportInput {
  const affinityPath = join(dir, AFFINITY_FILES.json);
  if (!written && !existsSync(affinityPath))
    throw new InputError(
      `${affinityPath} not found: run a pairwise sweep into ${dir} first (tra run / tra sweep --out ${dir})`,
    );
  const affinity = written ?? readAffinity(affinityPath);
  const input: ReportInput = { affinity };
  const read: string[] = [affinityPath];
  for (const section of SECTIONS as readonly Section[]) {
    if (section.file === undefined) {
      section.check?.(affinity, affinityPath);
      continue;
    }
    const paths = section.files ? section.files(dir) : [join(dir, section.file)].filter((path) => existsSync(path));
    const own = section.files ? severalFiles(section, paths) : paths.length ? section.read(paths[0]) : undefined;
    if (own === undefined) continue;
    (input as unknown as Record<string, unknown>)[section.key] = own;
    read.push(...paths);
  }
  const madeBy = read.flatMap((path) => {
    // affinity.json, read already, is not parsed again (150 MB at 1000 tasks)
    const command = path === affinityPath ? affinity.provenance?.command : commandOf(path);
    return command ? [{ file: relative(dir, path), command }] : [];
  });
  return madeBy.length ? { ...input, madeBy } : input;
}

/** The command line a file's provenance records (the file was read and checked already; a file without one has none). */
function commandOf(path: string): string | undefined {
  const provenance = (JSON.parse(readFileSync(path, 'utf8')) as { provenance?: { command?: unknown } }).provenance;
  return typeof provenance?.command === 'string' ? provenance.command : undefined;
}

/** A section of several files: the concatenation of their lists; undefined when none has anything. */
function severalFiles(section: FileSection<string, unknown, unknown>, paths: string[]): unknown[] | undefined {
  const lists = paths.map((path) => (section.read(path) as unknown[] | undefined) ?? []);
  return lists.some((list) => list.length) ? lists.flat() : undefined;
}

/** The folder's page from its files (affinity.json's content given as `written`, readReportInput's, when just written). */
const drawFolder = (dir: string, written?: AffinityArtefact): string => writeReport(dir, readReportInput(dir, written));

/** `tra report <dir>`: reads the folder's JSON files and writes `<dir>/index.html`; returns its path. */
export const writeReportForDir = (dir: string): string => drawFolder(dir);

/**
 * After a command adds a section file: redraw the folder's report if it has one (a report needs affinity.json).
 * `written`: affinity.json's content as read back (artefacts/affinity.ts affinityAsRead), when the caller has just
 * written it.
 */
export function refreshReport(dir: string, written?: AffinityArtefact): string | undefined {
  return written || existsSync(join(dir, AFFINITY_FILES.json)) ? drawFolder(dir, written) : undefined;
}
