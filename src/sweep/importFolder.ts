import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { InputError } from '../data/errors.js';
import { createFolder, refuseLink, writeFileAtomic } from '../io/write.js';
import type { LossFile } from '../data/lossFile.js';
import { readLossSource, type LossSource, type SourceFile } from '../data/lossSources.js';
import { isImportedConfig } from './config.js';
import type { ImportedConfig } from './imported.js';
import { readJournal, type JournalHeader, type Records } from './journal.js';

/** The folder an import keeps a copy of every file it read in, so that later imports can merge with them. */
export const SOURCES_DIR = 'imported';

/** What an earlier import left in a folder: its journal's header and records, and the files it read (from its copies). */
export interface PriorImport {
  header: JournalHeader & { config: ImportedConfig };
  records: Records;
  /** The files read so far, read again from the folder's copies; each row names the file as it was imported. */
  files: (LossSource & { copy: string })[];
}

const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * The import already in `dir`, if any. A sweep's journal there is refused (imported losses never mix with trained
 * ones); so is a folder whose copies are missing or changed, or one imported by a version that kept no copies (then
 * only the very same file may be imported again, as before).
 */
export function readPriorImport(dir: string, journalPath: string): PriorImport | undefined {
  if (!existsSync(journalPath)) return undefined;
  refuseLink(journalPath); // the folder's own journal, which the import rewrites
  const { header, records } = readJournal(journalPath);
  if (!isImportedConfig(header.config))
    throw new InputError(
      `${journalPath} already holds other results (a sweep's); choose another --out folder or delete it to start over`,
    );
  const sources = header.config.imported.sources;
  const files = (sources ?? []).map((source) => {
    const copy = join(dir, source.copy ?? '');
    if (!source.copy || !existsSync(copy) || sha256Of(copy) !== source.sha256)
      throw new InputError(
        `${copy}: the folder's copy of ${source.file} is missing or changed since it was imported; import every file again into a fresh folder`,
      );
    const loss = readLossSource(copy);
    return { ...loss, file: source.file, rows: loss.rows.map((r) => ({ ...r, file: source.file })), copy: source.copy };
  });
  return { header: header as PriorImport['header'], records, files };
}

/** Where a file's copy goes: named by its hash, so two files of one name never collide, with its extension kept. */
export const copyNameOf = (file: LossFile): string =>
  join(SOURCES_DIR, `${file.sha256.slice(0, 16)}-${basename(file.file)}`);

/** Copies the files an import read into the folder (checked against the hash they were read with). */
export function storeSources(dir: string, files: readonly SourceFile[]): void {
  createFolder(join(dir, SOURCES_DIR));
  for (const source of files) {
    if (!source.copy) continue;
    const copy = join(dir, source.copy);
    if (existsSync(copy) && sha256Of(copy) === source.sha256) continue;
    writeFileAtomic(copy, readFileSync(source.file));
    if (sha256Of(copy) !== source.sha256)
      throw new InputError(`${source.file} changed while it was imported; import it again`);
  }
}
