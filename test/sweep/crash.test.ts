import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../helpers/killResume.js';
import { tempDir, validCsv, writeTemp } from '../helpers/files.js';

const hook = fileURLToPath(new URL('../helpers/crashingWorkers.js', import.meta.url));

/**
 * A sweep on wasm with two worker threads (4 tasks: 10 networks, two chunks of 5) whose first `crashes` worker
 * threads exit as they start, their chunk posted.
 */
function sweepWithCrashes(crashes: number) {
  const out = tempDir();
  const crashDir = tempDir();
  const csv = writeTemp(
    'four.csv',
    validCsv((lines) => lines.map((l, k) => (k === 0 ? `${l},c` : `${l},${k % 5 === 0 ? 1 : 0}`))),
  );
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      hook,
      cli,
      'sweep',
      '--data',
      csv,
      '--tasks',
      'last:4',
      '--split',
      'holdout',
      '--seeds',
      '1',
      '--epochs',
      '2',
      '--hidden',
      '4',
      '--backend',
      'wasm',
      '--workers',
      '2',
      '--out',
      out,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, TRA_TEST_WORKER_CRASHES: String(crashes), TRA_TEST_CRASH_DIR: crashDir },
    },
  );
  return { run, out, crashed: readdirSync(crashDir).length };
}

const journalIds = (out: string): string[] =>
  readFileSync(join(out, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => JSON.parse(l).id);

test('a worker thread that exits mid-chunk has its chunk retried, and the sweep completes with every network once', () => {
  const { run, out, crashed } = sweepWithCrashes(1);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(crashed, 1);
  assert.match(
    run.stderr,
    /training worker failed \(training worker exited with code 137 before finishing\); retrying its 5 networks/,
  );
  const ids = journalIds(out);
  assert.equal(ids.length, 10);
  assert.equal(new Set(ids).size, 10);
});

test('a chunk whose worker keeps crashing ends the sweep with exit 1 naming its networks, none of them recorded', () => {
  const { run, out, crashed } = sweepWithCrashes(99);
  assert.equal(run.status, 1, run.stderr);
  assert.ok(crashed >= 3, `${crashed} threads crashed: at least the failed chunk's three attempts`);
  const failed =
    /tra: training failed: networks ([\d+, ]+) of seed 0 failed 3 times: training worker exited with code 137/.exec(
      run.stderr,
    );
  assert.ok(failed, run.stderr);
  const named = failed[1].split(', ');
  assert.equal(named.length, 5);
  assert.match(run.stderr, /finished networks are in the journal; rerun the same command to resume/);
  assert.doesNotMatch(run.stderr, /at .*\.js/, 'no stack trace');
  const ids = journalIds(out).map((id) => id.replace(/^s0\//, ''));
  assert.deepEqual(
    ids.filter((id) => named.includes(id)),
    [],
    'the failed networks are not in the journal',
  );
});
