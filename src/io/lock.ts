import { linkSync, readFileSync, realpathSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError } from '../data/errors.js';
import { fileSystemError } from './errors.js';
import { createFolder, removeTemporariesOf } from './write.js';

/** The lock file in an output folder: the holder's pid, host, process start and command. */
export const LOCK_FILE = '.tra-lock';

interface Holder {
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat), so a reused pid is not taken for it. */
  started?: string;
  command: string;
  since: string;
}

/** What the lock says is running (the CLI names its command: `tra sweep`). */
let commandName = 'tra';
export const nameCommand = (name: string): void => {
  commandName = name;
};

/** Folders this process holds (by real path), with how many times each was locked; and the same per lock scope. */
const held = new Map<string, number>();
const scopes = new AsyncLocalStorage<Map<string, number>>();

const startOf = (pid: number): string | undefined => {
  try {
    // field 22 of /proc/<pid>/stat, counted after the command name in parentheses (which may hold spaces)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
};

/** Whether the holder still runs: only decidable on its own host; elsewhere it is taken to run. */
function running(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  // this process's own, left behind (it is asked to lock only what it does not hold): stale
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const started = startOf(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

const readHolder = (path: string): Holder | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
};

/** Sleeps this thread (the lock is taken synchronously, before any work starts). */
const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** Creates `path` holding `text` only if it does not exist, all at once (a reader never sees it half-written). */
function createWhole(path: string, text: string): boolean {
  const temporary = `${path}.${process.pid}.new`;
  try {
    writeFileSync(temporary, text);
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // never created
    }
  }
}

/**
 * Locks output folder `dir` for this process, so that a second tra on it refuses with the holder's pid instead of
 * training every network again and writing every record twice. The lock is `dir/.tra-lock`; a lock whose process is
 * gone (killed, crashed) is stale and taken over, judged by pid and process start time on the same host. Locking a
 * folder this process holds again is allowed. Held until the lock scope ends (lockScope) or the process exits.
 */
export function lockFolder(dir: string): void {
  const scope = scopes.getStore();
  if (!scope) return;
  const key = realpathSync(dir);
  if (!held.has(key)) acquire(dir);
  held.set(key, (held.get(key) ?? 0) + 1);
  scope.set(key, (scope.get(key) ?? 0) + 1);
}

function acquire(dir: string): void {
  const path = join(dir, LOCK_FILE);
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    started: startOf(process.pid),
    command: commandName,
    since: new Date().toISOString(),
  };
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      if (createWhole(path, `${JSON.stringify(me)}\n`)) return;
      const holder = readHolder(path);
      if (holder && running(holder))
        throw new InputError(
          `${dir} is in use by another tra (pid ${holder.pid}${holder.host === me.host ? '' : ` on ${holder.host}`}, ${holder.command}, since ${holder.since}); ` +
            `wait for it to finish, or if that process is gone, delete ${path}`,
        );
      breakStale(path, holder);
    }
  } catch (error) {
    throw fileSystemError(error, dir, 'lock the folder') ?? error;
  }
  throw new InputError(`${path}: cannot take the lock (other processes keep taking it); try again`);
}

/**
 * Removes a stale lock, under a second lock (`.tra-lock.break`) so that two processes that both found it stale cannot
 * both take it: only the breaker's holder removes it, after checking it is still the stale one.
 */
function breakStale(path: string, stale: Holder | undefined): void {
  const breaker = `${path}.break`;
  if (!createWhole(breaker, `${process.pid}\n`)) {
    // Another process is breaking the lock; its breaker lives for microseconds unless that process died holding it.
    try {
      if (Date.now() - statSync(breaker).mtimeMs > 10_000) unlinkSync(breaker);
    } catch {
      // removed meanwhile
    }
    pause(20);
    return;
  }
  try {
    const now = readHolder(path);
    if (now === undefined || stale === undefined || (now.pid === stale.pid && now.since === stale.since)) {
      // An unreadable lock is one being written (createWhole writes whole files) or damaged: only a damaged one lasts.
      if (now === undefined && stale === undefined && Date.now() - safeMtime(path) < 1000) return;
      try {
        unlinkSync(path);
      } catch {
        // removed meanwhile
      }
      // a holder killed in the middle of a write left its temporary file
      if (stale) removeTemporariesOf(dirname(path), stale.pid);
    }
  } finally {
    unlinkSync(breaker);
  }
}

const safeMtime = (path: string): number => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

/**
 * Runs `body` as one scope of locks: the output folders it locks (lockFolder) are released when it ends, however it
 * ends. `tra` runs every command in one; a library caller wraps a runner in one to lock its folders too (outside any
 * scope lockFolder does nothing, so in-process callers such as tests are not locked against their own children).
 */
export async function lockScope<T>(body: () => Promise<T> | T): Promise<T> {
  const mine = new Map<string, number>();
  try {
    return await scopes.run(mine, body);
  } finally {
    for (const [key, count] of mine) release(key, count);
  }
}

/**
 * Runs `body` with `dir` (created if missing) locked: taken here and released after, or already held by this process
 * (a command's lock scope), whether or not a lock scope is open. For a writing step of its own (writeArtefacts).
 */
export function withFolderLock<T>(dir: string, body: () => T): T {
  createFolder(dir);
  const key = realpathSync(dir);
  if (!held.has(key)) acquire(dir);
  held.set(key, (held.get(key) ?? 0) + 1);
  try {
    return body();
  } finally {
    release(key, 1);
  }
}

function release(key: string, count: number): void {
  const left = (held.get(key) ?? 0) - count;
  if (left > 0) {
    held.set(key, left);
    return;
  }
  held.delete(key);
  const path = join(key, LOCK_FILE);
  if (readHolder(path)?.pid !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    // the folder is gone or read-only now: a lock whose process has ended is stale and taken over
  }
}

// A command that ends the process (an error printed, then process.exit) leaves no lock behind either.
process.on('exit', () => {
  for (const [key, count] of held) release(key, count);
});
