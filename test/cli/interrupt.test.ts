import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../../src/io/lock.js';
import { cli } from '../helpers/killResume.js';
import { tempDir, writeTemp } from '../helpers/files.js';
import { longCsv, plantedLongRows } from '../helpers/losses.js';

const files = (dir: string): string[] => readdirSync(dir).sort();

test('SIGTERM stops tra group in the middle of a long selection at once (143), leaving no file but its stale lock; a rerun finishes', async () => {
  const tasks = Array.from({ length: 12 }, (_, t) => `t${t}`);
  const csv = writeTemp(
    'losses.csv',
    longCsv(
      plantedLongRows(
        tasks,
        tasks.map((_, t) => Math.floor(t / 3)),
        6,
      ),
    ),
  );
  const out = join(tempDir(), 'imported');
  const imported = spawnSync(process.execPath, [cli, 'import', csv, '--out', out], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  const before = files(out);
  // 100,000 bootstrap resamples of 6 seeds, nearly all different orders, each an exact selection: minutes of
  // synchronous work (a resample drawn before is not selected again, so 2 seeds would be done in a moment)
  const child = spawn(process.execPath, [cli, 'group', out, '--quiet', '--bootstrap', '100000'], { stdio: 'ignore' });
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  await new Promise((resolve) => setTimeout(resolve, 3000));
  assert.equal(child.exitCode, null, 'still selecting when signalled');
  const signalled = performance.now();
  child.kill('SIGTERM');
  const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const { code, signal, at } = await exited;
  clearTimeout(timeout);
  assert.ok(signal === 'SIGTERM' || code === 143, `ended by SIGTERM, not ${signal ?? code}`);
  assert.ok(at - signalled < 5000, `stopped ${((at - signalled) / 1000).toFixed(1)} s after SIGTERM`);
  // nothing written, nothing half-written: the folder as before, and the lock, which the next run takes over as stale
  assert.deepEqual(
    files(out).filter((name) => name !== LOCK_FILE),
    before,
  );
  const rerun = spawnSync(process.execPath, [cli, 'group', out, '--quiet', '--bootstrap', '2'], { encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.deepEqual(files(out), [...before, 'grouping-graph.json', 'grouping.csv', 'grouping.json'].sort());
});
