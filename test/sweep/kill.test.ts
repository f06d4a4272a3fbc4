import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plantedClusters } from '../../src/data/synthetic.js';
import { seededRandom } from '../../src/data/random.js';
import { tempDir } from '../helpers/files.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function writeCsv(path: string): void {
  const { dataset } = plantedClusters({ rows: 200, features: 8, clusters: 1, tasksPerCluster: 3, seed: 9 });
  const header = [...dataset.featureNames, ...dataset.taskNames].join(',');
  const rows = Array.from({ length: dataset.rows }, (_, r) => [...dataset.features.subarray(r * 8, r * 8 + 8), ...dataset.targets.subarray(r * 3, r * 3 + 3)].join(','));
  writeFileSync(path, [header, ...rows].join('\n') + '\n');
}

const sweepArgs = (csv: string, out: string) => [cli, 'sweep', '--data', csv, '--tasks', 'last:3', '--split', 'holdout', '--seeds', '10', '--epochs', '25', '--hidden', '16', '--workers', '1', '--out', out, '--quiet'];

const recordsIn = (journal: string): number => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').length - 2 : 0);

/**
 * Starts a sweep and SIGKILLs it at a random point after it has recorded at least one more network (so every kill
 * lands mid-sweep: mid-training, mid-write or between appends); resolves with whether it finished by itself first.
 */
function runAndKill(args: string[], journal: string, delayMs: number): Promise<boolean> {
  const before = recordsIn(journal);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const poll = setInterval(() => {
      if (recordsIn(journal) <= before) return;
      clearInterval(poll);
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }, 10);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve(code === 0);
    });
  });
}

test('a sweep SIGKILLed at random points and resumed ends with the matrix of an uninterrupted run, nothing lost or doubled', async () => {
  const csv = join(tempDir(), 'data.csv');
  writeCsv(csv);
  const reference = tempDir();
  const full = spawnSync(process.execPath, sweepArgs(csv, reference), { encoding: 'utf8' });
  assert.equal(full.status, 0, full.stderr);

  const out = tempDir();
  const random = seededRandom(42);
  let kills = 0;
  const recordedAfterKill: number[] = [];
  const journal = join(out, 'journal.jsonl');
  for (let attempt = 0; attempt < 12 && kills < 5; attempt++) {
    const finished = await runAndKill(sweepArgs(csv, out), journal, random() * 300);
    if (finished) break;
    kills++;
    recordedAfterKill.push(recordsIn(journal));
  }
  assert.ok(kills >= 5, `killed ${kills} times before the sweep finished`);
  assert.ok(recordedAfterKill.filter((n) => n > 0 && n < 60).length >= 3, `most kills landed mid-sweep (records after each kill: ${recordedAfterKill})`);
  const last = spawnSync(process.execPath, sweepArgs(csv, out), { encoding: 'utf8' });
  assert.equal(last.status, 0, last.stderr);

  const lines = readFileSync(join(out, 'journal.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l));
  const ids = lines.map((l) => l.id);
  assert.equal(ids.length, 10 * 6, 'every network of 10 seeds x 6 groups recorded');
  assert.equal(new Set(ids).size, ids.length, 'no network recorded twice');
  const a = JSON.parse(readFileSync(join(reference, 'affinity.json'), 'utf8'));
  const b = JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8'));
  a.mean.forEach((row: number[], i: number) => row.forEach((v, j) => assert.ok(Math.abs(v - b.mean[i][j]) < 1e-5, `cell ${i},${j}: ${v} vs ${b.mean[i][j]}`)));
});
