import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../../data/errors.js';
import { checkCommandArgv } from './placeholders.js';

/** A file of the user's training code, fingerprinted: its content is part of the sweep's configuration. */
export interface CodeFile {
  source: string;
  sha256: string;
}

/** The user's training command as a sweep runs it (a definition's `"command"` and `"code"`). */
export interface CommandRef {
  /** The program and its arguments, with placeholders (engine/command/placeholders.ts). */
  argv: string[];
  /** The folder it runs in: the definition's. */
  cwd: string;
  code: CodeFile[];
}

const sha256Of = (path: string, what: string): string => {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch (error) {
    throw new InputError(`${what} ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
};

/** Checks the argv and fingerprints the code files (absolute paths, or relative to `cwd`). */
export function commandRef(argv: string[], cwd: string, code: string[], where: string): CommandRef {
  checkCommandArgv(argv, where);
  return { argv, cwd, code: code.map((source) => ({ source, sha256: sha256Of(source, `${where}: code`) })) };
}

/**
 * The code file that no longer holds what was fingerprinted, if any: a script edited during a sweep would train some
 * networks with one version and some with another.
 */
export function changedCode(ref: Pick<CommandRef, 'code'>): CodeFile | undefined {
  return ref.code.find((file) => {
    try {
      return sha256Of(file.source, 'code') !== file.sha256;
    } catch {
      return true;
    }
  });
}

/** Throws naming the file when the code changed since the sweep was configured. */
export function checkCodeUnchanged(ref: Pick<CommandRef, 'code'>, when: string): void {
  const changed = changedCode(ref);
  if (changed)
    throw new InputError(
      `${changed.source} changed ${when} (sha256 ${changed.sha256.slice(0, 12)} when the sweep started): networks trained by two versions of the code would be mixed; ` +
        'restore it and rerun to resume, or rerun as it is now, which refuses this journal (choose a new output folder)',
    );
}
