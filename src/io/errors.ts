import { InputError } from '../data/errors.js';

/** What a file-system refusal means and what the user can do, by error code. */
const PROBLEMS: Record<string, { what: string; todo: string }> = {
  ENOSPC: {
    what: 'no space left on the device',
    todo: 'free some space or choose another output folder, then rerun the same command (finished work is kept)',
  },
  EDQUOT: {
    what: 'disk quota exceeded',
    todo: 'free some space or choose another output folder, then rerun the same command (finished work is kept)',
  },
  EROFS: { what: 'read-only file system', todo: 'choose an output folder on a writable file system' },
  EACCES: { what: 'permission denied', todo: 'make it writable for this user or choose another output folder' },
  EPERM: { what: 'operation not permitted', todo: 'make it writable for this user or choose another output folder' },
};

const VERBS: Record<string, string> = {
  open: 'write',
  write: 'write',
  mkdir: 'create the folder',
  rename: 'replace',
  unlink: 'remove',
  fsync: 'write',
  ftruncate: 'write',
  link: 'write',
  scandir: 'read the folder',
  read: 'read',
};

/**
 * A refusal of the file system (full disk, quota, read-only mount, permissions) as an InputError that names the path
 * and what to do; undefined for any other error. `where` overrides the error's own path (e.g. the file a temporary one
 * stands for), `verb` what was being done. An InputError made here is looked through to the system error it wraps.
 */
export function fileSystemError(error: unknown, where?: string, verb?: string): InputError | undefined {
  const system = ((error as { cause?: unknown }).cause ?? error) as NodeJS.ErrnoException;
  const problem = system.code === undefined ? undefined : PROBLEMS[system.code];
  const place = where ?? system.path;
  if (!problem || place === undefined) return undefined;
  const doing = verb ?? VERBS[system.syscall ?? ''] ?? system.syscall ?? 'write';
  return new InputError(`${place}: cannot ${doing} (${problem.what}, ${system.code}); ${problem.todo}`, {
    cause: system,
  });
}

/** A file-system error's code in words ('no space left on the device'), or the code itself; also of an error's cause. */
export function describeCode(error: unknown): string {
  const { code } = ((error as { cause?: unknown }).cause ?? error) as NodeJS.ErrnoException;
  if (code === 'EEXIST' || code === 'ENOTDIR') return 'a file of that name (or on its path) is in the way';
  return (code === undefined ? undefined : PROBLEMS[code]?.what) ?? code ?? String(error);
}

/** `error` as thrown, unless it is a file-system refusal (then the InputError of fileSystemError). */
export const asFileSystemError = (error: unknown, path?: string): unknown => fileSystemError(error, path) ?? error;
