import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../data/errors.js';
import { asFileSystemError } from './errors.js';

let written = 0;

/** Bytes of a file written in parts gathered before each write: one buffer outside the heap, reused piece by piece. */
const BATCH = 1 << 20;

/**
 * Writes `data` to an open file: whole, or piece by piece so that it is never one string. Each piece is encoded into one
 * reused buffer as it comes and then dropped: gathering the pieces as strings kept a megabyte of them alive across
 * young-generation collections, which moved them to the old heap (a 1000-task affinity.csv's 84 MB reached the heap's
 * peak as garbage until the next full collection).
 */
function writeData(fd: number, data: string | Uint8Array | Iterable<string>): void {
  if (typeof data === 'string' || data instanceof Uint8Array) {
    writeFileSync(fd, data);
    return;
  }
  const batch = Buffer.allocUnsafe(BATCH);
  let used = 0;
  const flush = (): void => {
    if (used > 0) writeFileSync(fd, batch.subarray(0, used));
    used = 0;
  };
  // a piece ending in the first half of a surrogate pair keeps it for the next piece: encoded alone it would not be the
  // character the joined text holds
  let held = '';
  const add = (text: string): void => {
    // a UTF-16 unit takes at most 3 bytes in UTF-8 (a surrogate pair 4 for its two units)
    const fits = (room: number): boolean => 3 * text.length <= room || Buffer.byteLength(text) <= room;
    if (!fits(BATCH - used)) {
      flush();
      if (!fits(BATCH)) {
        writeFileSync(fd, text);
        return;
      }
    }
    used += batch.write(text, used);
  };
  for (const piece of data) {
    const text = held + piece;
    const last = text.charCodeAt(text.length - 1);
    held = last >= 0xd800 && last <= 0xdbff ? text.slice(-1) : '';
    add(held ? text.slice(0, -1) : text);
  }
  if (held) add(held);
  flush();
}

/** The temporary file of a write: hidden, beside its target, named by the writing process. */
const temporaryName = (name: string, pid: number, count: number): string => `.${name}.${pid}.${count}.tmp`;

/**
 * Creates `path` for writing, never through a file or link already there: one of this name is a killed process's
 * leftover (its pid is now this process's), so it is removed and the file created again.
 */
function openExclusive(path: string): number {
  try {
    return openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    unlinkSync(path);
    return openSync(path, 'wx');
  }
}

/**
 * Removes from `dir` the temporary files process `pid` left, killed in the middle of a write (io/lock.ts calls this
 * when it takes over that process's lock: the process is gone).
 */
export function removeTemporariesOf(dir: string, pid: number): void {
  const pattern = new RegExp(`^\\..+\\.${pid}\\.\\d+\\.tmp$`);
  for (const name of readdirSync(dir))
    if (pattern.test(name))
      try {
        unlinkSync(join(dir, name));
      } catch {
        // removed meanwhile
      }
}

/**
 * Writes `data` to `path` so that no reader and no crash ever sees half of it: into a temporary file in the same
 * folder, fsynced, then renamed over `path` and the folder fsynced. `data` may be pieces (a generator): a large file
 * (a 1000-task matrix) is then written as it is made, never held as one string, and a failure while making it leaves
 * `path` as it was. The rename replaces a symbolic link at `path`
 * rather than writing through it, so a link planted in an output folder never redirects a write. On failure (a full
 * disk, a read-only mount, ...) `path` is left as it was, the temporary file is removed, and a file-system refusal is
 * an InputError naming `path` (io/errors.ts).
 *
 * Written by hand rather than with write-file-atomic, which resolves symbolic links and writes to their targets.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string>): void {
  const temporary = join(dirname(path), temporaryName(basename(path), process.pid, written++));
  let fd: number | undefined;
  try {
    fd = openExclusive(temporary);
    writeData(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // never created, or already renamed
    }
    throw asFileSystemError(error, path);
  }
  syncFolder(dirname(path));
}

/**
 * Creates folder `dir` and its parents if missing; a refusal is an InputError naming `dir` (io/errors.ts). Node's
 * recursive mkdir reports any refusal (EROFS, EACCES) as ENOENT, so the first missing folder is made again plainly to
 * learn the real one.
 */
export function createFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    let missing = dir;
    while (!existsSync(dirname(missing)) && dirname(missing) !== missing) missing = dirname(missing);
    try {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') mkdirSync(missing);
    } catch (plain) {
      throw asFileSystemError(plain, dir);
    }
    throw asFileSystemError(error, dir);
  }
}

/** Refuses a symbolic link at `path` (a file tra appends to or reads back as its own, like a journal). */
export function refuseLink(path: string): void {
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    // missing: nothing to refuse
  }
  if (link)
    throw new InputError(`${path} is a symbolic link; tra writes only to a file of its own there: remove the link`);
}

/** Makes a rename in `dir` durable (best effort: some file systems cannot fsync a folder). */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // the rename happened; only its durability across a power cut is not guaranteed there
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Appends `text` to `path` (created if missing) and fsyncs it; never through a symbolic link. A failed append (a full
 * disk) is cut back to the file's previous length, so the file holds only whole appends: the journal stays valid.
 */
export function appendDurable(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o666);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new InputError(`${path} is a symbolic link; tra appends only to a file of its own: remove the link`);
    throw asFileSystemError(error, path);
  }
  const size = fstatSync(fd).size;
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    try {
      ftruncateSync(fd, size);
      fsyncSync(fd);
    } catch {
      // a torn last line is skipped on reading (sweep/journal.ts) and cut on resuming
    }
    throw asFileSystemError(error, path);
  } finally {
    closeSync(fd);
  }
}
