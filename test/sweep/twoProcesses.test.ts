import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../../src/io/lock.js';
import { readJournal } from '../../src/sweep/journal.js';
import { tempDir } from '../helpers/files.js';
import { cli, writePlantedCsv } from '../helpers/killResume.js';
import { finish } from '../helpers/queue.js';

/** The pid in the lock file at `path`, once it exists (written whole: io/lock.ts). */
async function lockHolder(path: string): Promise<number> {
  for (;;) {
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')).pid;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('two tra processes started at once on one folder: one trains, the other refuses naming its pid; every network recorded once', async () => {
  const dir = tempDir();
  const data = join(dir, 'data.csv');
  writePlantedCsv(data, 300);
  const out = join(dir, 'out');
  const backend = process.env.TRA_BACKEND ? ['--backend', process.env.TRA_BACKEND] : [];
  const args = [cli, 'sweep', '--data', data, '--tasks', 'last:3', '--split', 'holdout', '--seeds', '2'].concat([
    '--epochs',
    '10',
    '--hidden',
    '32',
    '--workers',
    '1',
    ...backend,
    '--out',
    out,
    '--quiet',
  ]);
  const children = [spawn(process.execPath, args), spawn(process.execPath, args)];
  const ends = children.map(finish);
  // The holder is paused from the moment its lock appears until the other has ended, so that on a loaded machine
  // the other cannot start only after the holder is done (it would then find every network trained and exit 0).
  const holder = await lockHolder(join(out, LOCK_FILE));
  process.kill(holder, 'SIGSTOP');
  const other = children.find((child) => child.pid !== holder);
  await ends[children.indexOf(other as (typeof children)[number])];
  process.kill(holder, 'SIGCONT');
  const [a, b] = await Promise.all(ends);
  const outcomes = [a, b].map((r, k) => ({ ...r, pid: children[k].pid }));
  const done = outcomes.filter((r) => r.code === 0);
  const refused = outcomes.filter((r) => r.code === 2);
  assert.equal(done.length, 1, `one finished: ${outcomes.map((r) => `${r.code} ${r.stderr}`).join(' | ')}`);
  assert.equal(refused.length, 1, 'the other refused');
  assert.match(
    refused[0].stderr,
    new RegExp(
      `^tra: .*out is in use by another tra \\(pid ${done[0].pid}, tra sweep, since .*\\); wait for it to finish`,
    ),
  );
  const path = join(out, 'journal.jsonl');
  assert.equal(readJournal(path).records.size, 2 * 6, 'every network of 2 seeds x 6 groups');
  assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 1 + 2 * 6, 'each once: no record twice');
});
