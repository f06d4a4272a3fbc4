import { existsSync, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../data/errors.js';
import { describeCode, fileSystemError } from '../io/errors.js';
import { lockFolder } from '../io/lock.js';
import { createFolder, writeFileAtomic } from '../io/write.js';

/** The file that marks a folder as tra's output: tra writes only into folders it made or marked (or that hold a journal). */
export const OUTPUT_MARK = '.tra-output';

const ownedBy = (entries: string[]): boolean => entries.includes(OUTPUT_MARK) || entries.includes('journal.jsonl');

/**
 * Makes `dir` an output folder before anything is computed into it: creates it, or accepts it when it is empty or
 * already tra's; refuses a non-empty folder of the user's, so that no file tra did not write is ever overwritten, and
 * a symbolic link inside a folder of tra's (out/closed-loop pointing elsewhere), so that no write leaves it. Then locks
 * it for this process (io/lock.ts): a second tra on the folder refuses, naming this one's pid.
 */
export function claimOutputFolder(dir: string, flag = '--out'): void {
  let entries: string[] | undefined;
  try {
    if (isLink(dir) && existsSync(dirname(dir)) && ownedBy(readdirSync(dirname(dir))))
      throw new InputError(
        `${flag} ${dir} is a symbolic link (to ${readlinkSync(dir)}) inside an output folder of tra's; tra does not write through it: remove the link`,
      );
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new InputError(`${flag} ${dir}: a file, not a folder`);
      entries = readdirSync(dir);
    } else createFolder(dir);
  } catch (error) {
    throw (
      fileSystemError(error, `${flag} ${dir}`, 'create or read the folder') ??
      (error instanceof InputError
        ? error
        : new InputError(`${flag} ${dir}: cannot create or read the folder (${describeCode(error)})`))
    );
  }
  if (entries && entries.length > 0 && !ownedBy(entries))
    throw new InputError(
      `${flag} ${dir} holds files tra did not write (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); choose a new or empty folder`,
    );
  if (!entries?.includes(OUTPUT_MARK))
    try {
      writeFileAtomic(
        join(dir, OUTPUT_MARK),
        'written by tra (task-relations); tra writes only into folders holding this file or a journal.jsonl\n',
      );
    } catch (error) {
      throw (
        fileSystemError(error, `${flag} ${dir}`, 'write into the folder') ??
        new InputError(`${flag} ${dir}: cannot write into the folder (${describeCode(error)})`)
      );
    }
  lockFolder(dir);
}

const isLink = (path: string): boolean => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

/** For a command that writes one file into a folder it reads (tra report): refuses to replace that file in a folder that is not tra's. */
export function checkMayReplace(dir: string, file: string, command: string): void {
  if (existsSync(join(dir, file)) && !ownedBy(readdirSync(dir)))
    throw new InputError(
      `${command} ${dir}: ${file} there was not written by tra (the folder has no ${OUTPUT_MARK} or journal.jsonl); move it away first`,
    );
}
