import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../../src/io/lock.js';
import { readJournal } from '../../src/sweep/journal.js';
import { tempDir } from '../helpers/files.js';
import { sweepArgs, writePlantedCsv } from '../helpers/killResume.js';
import { finish } from '../helpers/queue.js';

/** The pid in the lock file at `path` once it exists (written whole: io/lock.ts), or undefined if `ended` first. */
async function lockHolder(path: string, ended: Promise<unknown>): Promise<number | undefined> {
  let over = false;
  void ended.then(() => (over = true));
  while (!over) {
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')).pid;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return undefined;
}

test('a second tra on a folder a running tra sweep holds refuses naming its pid; the first finishes, every network recorded once', async () => {
  const data = join(tempDir(), 'data.csv');
  writePlantedCsv(data, 300);
  // The first is paused the moment its lock is seen (the lock is held while it trains, after its planner's
  // calibration: a fraction of a second on the native trainer, which a loaded machine's poll may miss: then again).
  for (let attempt = 1; ; attempt++) {
    const out = join(tempDir(), 'out');
    const args = sweepArgs(data, out, { seeds: 6, epochs: 40, hidden: 64 });
    const first = spawn(process.execPath, args);
    const firstDone = finish(first);
    const holder = await lockHolder(join(out, LOCK_FILE), firstDone);
    if (holder === undefined && attempt < 5) continue;
    assert.equal(holder, first.pid, `the lock names the first tra (attempt ${attempt})`);
    process.kill(first.pid as number, 'SIGSTOP');
    const second = await finish(spawn(process.execPath, args));
    process.kill(first.pid as number, 'SIGCONT');
    assert.equal(second.code, 2, second.stderr);
    assert.match(
      second.stderr,
      new RegExp(
        `^tra: .*out is in use by another tra \\(pid ${first.pid}, tra sweep, since .*\\); wait for it to finish, or if that process is gone, delete .*\\.tra-lock\\n$`,
      ),
    );
    const done = await firstDone;
    assert.equal(done.code, 0, done.stderr);
    const path = join(out, 'journal.jsonl');
    assert.equal(readJournal(path).records.size, 6 * 6, 'every network of 6 seeds x 6 groups');
    assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 1 + 6 * 6, 'each once: no record twice');
    assert.ok(!existsSync(join(out, LOCK_FILE)), 'the lock released');
    return;
  }
});
