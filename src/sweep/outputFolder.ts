import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../data/errors.js';

/** The file that marks a folder as tra's output: tra writes only into folders it made or marked (or that hold a journal). */
export const OUTPUT_MARK = '.tra-output';

const ownedBy = (entries: string[]): boolean => entries.includes(OUTPUT_MARK) || entries.includes('journal.jsonl');

const systemMessage = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EEXIST' || code === 'ENOTDIR') return 'a file of that name (or on its path) is in the way';
  if (code === 'EROFS') return 'read-only file system';
  return code ?? String(error);
};

/**
 * Makes `dir` an output folder before anything is computed into it: creates it, or accepts it when it is empty or
 * already tra's; refuses a non-empty folder of the user's, so that no file tra did not write is ever overwritten.
 */
export function claimOutputFolder(dir: string, flag = '--out'): void {
  let entries: string[] | undefined;
  try {
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new InputError(`${flag} ${dir}: a file, not a folder`);
      entries = readdirSync(dir);
    } else mkdirSync(dir, { recursive: true });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${flag} ${dir}: cannot create or read the folder (${systemMessage(error)})`);
  }
  if (entries && entries.length > 0 && !ownedBy(entries))
    throw new InputError(
      `${flag} ${dir} holds files tra did not write (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); choose a new or empty folder`,
    );
  try {
    writeFileSync(
      join(dir, OUTPUT_MARK),
      'written by tra (task-relations); tra writes only into folders holding this file or a journal.jsonl\n',
    );
  } catch (error) {
    throw new InputError(`${flag} ${dir}: cannot write into the folder (${systemMessage(error)})`);
  }
}

/** For a command that writes one file into a folder it reads (tra report): refuses to replace that file in a folder that is not tra's. */
export function checkMayReplace(dir: string, file: string, command: string): void {
  if (existsSync(join(dir, file)) && !ownedBy(readdirSync(dir)))
    throw new InputError(
      `${command} ${dir}: ${file} there was not written by tra (the folder has no ${OUTPUT_MARK} or journal.jsonl); move it away first`,
    );
}
