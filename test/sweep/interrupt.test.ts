import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, recordsIn, writePlantedCsv } from '../helpers/killResume.js';
import { tempDir } from '../helpers/files.js';

/** Seeds of the sweep: enough that it is still training when the signal arrives (the native trainer made 4 seeds of
 * these networks finish within the 10 ms poll that sends it, once in a CI run). */
const SEEDS = 40;
const NETWORKS = SEEDS * 6;

test('Ctrl-C mid-sweep exits 130 with a one-line message and leaves a valid journal that a rerun completes', async () => {
  const csv = join(tempDir(), 'data.csv');
  writePlantedCsv(csv, 200);
  const out = tempDir();
  const journal = join(out, 'journal.jsonl');
  const args = [
    cli,
    'sweep',
    '--data',
    csv,
    '--tasks',
    'last:3',
    '--split',
    'holdout',
    '--seeds',
    String(SEEDS),
    '--epochs',
    '20',
    '--hidden',
    '16',
    '--workers',
    '1',
    '--out',
    out,
    '--quiet',
  ];
  const interrupted = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const poll = setInterval(() => {
      if (recordsIn(journal) < 1) return;
      clearInterval(poll);
      child.kill('SIGINT');
    }, 10);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code, stderr });
    });
  });
  assert.equal(interrupted.code, 130, interrupted.stderr);
  assert.match(interrupted.stderr, /interrupted/i);
  assert.doesNotMatch(interrupted.stderr, /at .*\.js/);
  const lines = readFileSync(journal, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const parsed = lines.map((line) => JSON.parse(line) as { kind: string; id?: string });
  assert.equal(parsed[0].kind, 'header');
  const before = parsed.length - 1;
  assert.ok(before >= 1 && before < NETWORKS, `stopped mid-sweep with ${before} of ${NETWORKS} networks recorded`);

  const rerun = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  const ids = readFileSync(journal, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => (JSON.parse(l) as { id: string }).id);
  assert.equal(ids.length, NETWORKS, 'the rerun trained only what was missing');
  assert.equal(new Set(ids).size, ids.length);
});
