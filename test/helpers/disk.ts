/**
 * Real file-system refusals for tests, as root (CI runs as root): a small tmpfs (ENOSPC when full, EROFS when mounted
 * read-only) and this process's effective user switched to nobody (EACCES on root's files). EDQUOT cannot be had
 * from a tmpfs here (this kernel's tmpfs has no quota support), so `failing` injects it (or any code) at the fs call
 * boundary of this process.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs, { mkdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';

export const isRoot = (): boolean => process.getuid?.() === 0;

/** Why a disk case cannot run here, or undefined (the tests skip with this reason; CI runs as root). */
export const noDisks = (): string | undefined => (isRoot() ? undefined : 'needs root to mount a tmpfs');

/** Mounts a tmpfs of `size` bytes (rounded up to pages) at `dir` (created if missing); options like 'ro' appended. */
export function mountSmallDisk(
  dir: string,
  size: number,
  options = '',
): { remount: (options: string) => void; unmount: () => void } {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755${options ? `,${options}` : ''}`, 'tmpfs', dir]);
  return {
    remount: (more: string) => execFileSync('mount', ['-o', `remount,${more}`, dir]),
    unmount: () => execFileSync('umount', ['-l', dir]),
  };
}

/** Fills the disk holding `dir` up to `leave` bytes free, with one file; returns its path (delete it to free space). */
export function fillDisk(dir: string, leave = 0): string {
  const path = resolve(dir, 'filler');
  const free = (): number => {
    const stat = fs.statfsSync(dir);
    return stat.bavail * stat.bsize;
  };
  fs.writeFileSync(path, Buffer.alloc(Math.max(0, free() - leave)));
  assert.ok(free() <= leave + 4096, `the disk at ${dir} is full up to ${leave} bytes`);
  return path;
}

/** Runs the rest of the case as user nobody (effective uid 65534, so root's files refuse with EACCES); returns the undo. */
export function asNobody(): () => void {
  process.setegid?.(65534);
  process.seteuid?.(65534);
  return () => {
    process.seteuid?.(0);
    process.setegid?.(0);
  };
}

/**
 * Makes this process's fs calls fail with `code` for paths under `dir` opened for writing (openSync with flags other
 * than 'r'): a refusal injected where the kernel would give it, for codes a test cannot provoke for real (EDQUOT).
 * Returns the undo.
 */
export function failing(dir: string, code: string): () => void {
  const original = fs.openSync;
  const under = resolve(dir);
  fs.openSync = ((path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
    const full = resolve(String(path));
    if ((full === under || full.startsWith(`${under}/`)) && flags !== undefined && flags !== 'r' && flags !== 0)
      throw Object.assign(new Error(`${code}: injected, open '${full}'`), { code, syscall: 'open', path: full });
    return original(path, flags as fs.OpenMode, mode);
  }) as typeof fs.openSync;
  syncBuiltinESMExports();
  return () => {
    fs.openSync = original;
    syncBuiltinESMExports();
  };
}
