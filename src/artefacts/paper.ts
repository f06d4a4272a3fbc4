/**
 * The paper folder (`tra paper`): figures/ (SVG, PDF), tables/ (LaTeX, Markdown), methods, appendix, references and
 * the two documents. The runner (analysis/paper.ts) returns the files; this writes them under the output folder.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createFolder, writeFileAtomic } from '../io/write.js';

export interface PaperFile {
  /** Relative to the paper's folder, e.g. figures/affinity-column.svg. */
  path: string;
  content: string | Uint8Array;
}

/** The paper's files, each with its contents. */
export interface PaperArtefact {
  files: PaperFile[];
}

/** Writes every file under `out` (created as needed); a path leaving `out` is a bug. Returns the written paths. */
export function writePaper(out: string, { files }: PaperArtefact): string[] {
  const root = resolve(out);
  return files.map((file) => {
    const path = resolve(join(root, file.path));
    const inside = relative(root, path);
    if (inside.startsWith('..') || inside.startsWith(sep)) throw new Error(`paper file ${file.path} leaves ${root}`);
    createFolder(dirname(path));
    writeFileAtomic(path, file.content);
    return path;
  });
}
