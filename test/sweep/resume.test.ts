import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, appendFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { plantedClusters } from '../../src/data/synthetic.js';
import { Journal, readJournal } from '../../src/sweep/journal.js';
import { InputError } from '../../src/data/errors.js';
import { activeBackend, selectBackend } from '../../src/engine/backend.js';
import { threadsFor } from '../../src/engine/parallel.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir } from '../helpers/files.js';
import { SMALL_ENGINE, sweepAndEstimate } from '../helpers/sweep.js';
import { PROTOCOL_SPLIT } from '../../src/data/split.js';
import { sweepConfig } from '../../src/sweep/config.js';
import { SweepGroups } from '../../src/sweep/plan.js';
import { runSweep, TimeLimitReached } from '../../src/sweep/run.js';

const engine = { ...SMALL_ENGINE, epochs: 8 };
const dataset = plantedClusters({ rows: 150, features: 10, clusters: 2, tasksPerCluster: 2, seed: 4 }).dataset;

before(async () => {
  await testBackend();
});

/**
 * The same matrix within float32 training noise: the tensorflow backend's sums depend on which networks train together,
 * so a resumed sweep's networks (fused with fewer others) can differ in the last bits; native and wasm match exactly.
 */
function assertSameMatrix(actual: number[][], expected: number[][]): void {
  actual.forEach((row, i) =>
    row.forEach((v, j) =>
      assert.ok(Math.abs(v - expected[i][j]) < 1e-5, `cell ${i},${j}: ${v} against ${expected[i][j]}`),
    ),
  );
}

test('a rerun after deleting half of the journal ends with the same matrix as the full run', async () => {
  const full = await sweepAndEstimate(dataset, [0, 1], engine);
  const lines = readFileSync(full.journalPath, 'utf8').trimEnd().split('\n');
  const halfPath = join(tempDir(), 'journal.jsonl');
  const kept = [lines[0], ...lines.slice(1).filter((_, i) => i % 2 === 0)];
  writeFileSync(halfPath, `${kept.join('\n')}\n`);
  const resumed = await sweepAndEstimate(dataset, [0, 1], engine, halfPath);
  assert.equal(resumed.sweep.trained, lines.length - kept.length, 'only the deleted networks are trained again');
  assert.equal(resumed.sweep.skipped, kept.length - 1);
  assertSameMatrix(resumed.estimate.mean, full.estimate.mean);
  assert.equal(readJournal(halfPath).records.size, lines.length - 1, 'no network is recorded twice');
});

test("a journal's header says its singles and pairs in one field, and a journal whose header lists them (before session 10) resumes", async () => {
  const full = await sweepAndEstimate(dataset, [0, 1], engine);
  const lines = readFileSync(full.journalPath, 'utf8').trimEnd().split('\n');
  const header = JSON.parse(lines[0]);
  assert.deepEqual(header.plan, { seeds: [0, 1], groups: { singlesAndPairs: 4 } });
  // the header as written before: JSON.stringify of the listed groups
  const listed: number[][] = [];
  for (let i = 0; i < 4; i++) listed.push([i]);
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) listed.push([i, j]);
  const { createdAt, plan, ...rest } = header;
  const old = JSON.stringify({ ...rest, plan: { seeds: [0, 1], groups: listed }, createdAt });
  assert.deepEqual([...(readJournal(full.journalPath).header.plan?.groups ?? [])], listed, 'the same groups');
  // an old journal (its header made by JSON.stringify, a third of its networks) resumes to the same matrix
  const path = join(tempDir(), 'journal.jsonl');
  const kept = lines.slice(1).filter((_, i) => i % 3 === 0);
  writeFileSync(path, `${[old, ...kept].join('\n')}\n`);
  assert.deepEqual([...(readJournal(path).header.plan?.groups ?? [])], listed, 'read back in its order');
  const resumed = await sweepAndEstimate(dataset, [0, 1], engine, path);
  assert.equal(resumed.sweep.trained, lines.length - 1 - kept.length);
  assert.equal(readFileSync(path, 'utf8').split('\n')[0], old, 'its header is kept');
  assertSameMatrix(resumed.estimate.mean, full.estimate.mean);
  // and so is a journal of the new form: the same records, the same matrix
  const fresh = join(tempDir(), 'journal.jsonl');
  writeFileSync(fresh, `${[lines[0], ...kept].join('\n')}\n`);
  const again = await sweepAndEstimate(dataset, [0, 1], engine, fresh);
  assert.equal(again.sweep.trained, lines.length - 1 - kept.length);
  assert.deepEqual(again.estimate.mean, resumed.estimate.mean);
});

test('a sweep past its time limit stops between journal appends, keeps what it trained, and a rerun completes it to the same matrix', async () => {
  const full = await sweepAndEstimate(dataset, [0, 1, 2], engine);
  const path = join(tempDir(), 'journal.jsonl');
  const request = {
    dataset,
    config: sweepConfig(dataset, engine, PROTOCOL_SPLIT),
    groups: SweepGroups.pairwise(4),
    seeds: [0, 1, 2],
    journalPath: path,
    backend: activeBackend(),
    workers: 1,
    quiet: true,
  };
  // a limit already passed: the first replication's 10 networks train (every run makes progress), then it stops
  await assert.rejects(
    runSweep({ ...request, timeLimit: { maxHours: 1e-9, since: Date.now() } }),
    (e: unknown) => e instanceof TimeLimitReached && e.trained === 10 && e.left === 20 && e.journalPath === path,
  );
  assert.equal(readJournal(path).records.size, 10);
  const resumed = await sweepAndEstimate(dataset, [0, 1, 2], engine, path);
  assert.equal(resumed.sweep.trained, 20);
  assertSameMatrix(resumed.estimate.mean, full.estimate.mean);
});

test('a rerun of a finished sweep trains nothing', async () => {
  const first = await sweepAndEstimate(dataset, [0], engine);
  const again = await sweepAndEstimate(dataset, [0], engine, first.journalPath);
  assert.equal(again.sweep.trained, 0);
  assert.deepEqual(again.estimate.mean, first.estimate.mean);
});

test('a torn last line is ignored and cut off before the next append', async () => {
  const first = await sweepAndEstimate(dataset, [0], engine);
  const path = join(tempDir(), 'journal.jsonl');
  const lines = readFileSync(first.journalPath, 'utf8').trimEnd().split('\n');
  writeFileSync(path, `${lines.slice(0, -1).join('\n')}\n`);
  appendFileSync(path, lines[lines.length - 1].slice(0, 40));
  const journal = readJournal(path);
  assert.equal(journal.tornLine, true);
  assert.equal(journal.records.size, lines.length - 2);
  const resumed = await sweepAndEstimate(dataset, [0], engine, path);
  assert.equal(resumed.sweep.trained, 1);
  const after = readFileSync(path, 'utf8');
  assert.ok(after.endsWith('\n'));
  after
    .trimEnd()
    .split('\n')
    .forEach((line) => JSON.parse(line));
});

test('a journal read just before is opened from that read while the file is unchanged, and read again once it changed', async () => {
  const first = await sweepAndEstimate(dataset, [0], engine);
  const path = join(tempDir(), 'journal.jsonl');
  const lines = readFileSync(first.journalPath, 'utf8').trimEnd().split('\n');
  writeFileSync(path, `${lines.slice(0, -1).join('\n')}\n`);
  const read = readJournal(path);
  const { createdAt: _, plan: __, ...header } = read.header;
  // unchanged: the same records, not a second reading of the file
  assert.equal(Journal.open(path, header, read).records, read.records);
  // another process appended a network since: the file is read again and holds it
  appendFileSync(path, `${lines[lines.length - 1]}\n`);
  const reopened = Journal.open(path, header, read);
  assert.notEqual(reopened.records, read.records);
  assert.equal(reopened.records.size, read.records.size + 1);
  assert.ok(reopened.has((JSON.parse(lines[lines.length - 1]) as { id: string }).id));
});

test('a journal written with other settings is refused, not mixed', async () => {
  const first = await sweepAndEstimate(dataset, [0], engine);
  const copy = join(tempDir(), 'journal.jsonl');
  copyFileSync(first.journalPath, copy);
  await assert.rejects(
    () => sweepAndEstimate(dataset, [0], { ...engine, epochs: 9 }, copy),
    (e: unknown) => e instanceof InputError && /different configuration/.test((e as Error).message),
  );
});

test('a corrupt line in the middle of a journal is reported with its line number', async () => {
  const first = await sweepAndEstimate(dataset, [0], engine);
  const lines = readFileSync(first.journalPath, 'utf8').split('\n');
  lines[3] = '{"kind":"network", garbage';
  const path = join(tempDir(), 'journal.jsonl');
  writeFileSync(path, lines.join('\n'));
  assert.throws(
    () => readJournal(path),
    (e: unknown) => e instanceof InputError && /journal\.jsonl:4: corrupt journal line/.test((e as Error).message),
  );
});

test('a sweep split across worker threads records the same losses as one trained in-process', async () => {
  // tensorflow never splits a batch across threads (threadsFor): on that leg both sweeps run on wasm, so the threaded
  // path is exercised on every leg rather than compared with itself.
  const underTest = activeBackend();
  const backend = threadsFor(underTest, 2) > 1 ? underTest : 'wasm';
  await selectBackend(backend);
  try {
    assert.equal(threadsFor(backend, 2), 2, `${backend} trains a batch in two threads`);
    const inProcess = await sweepAndEstimate(dataset, [3], engine);
    const threaded = await sweepAndEstimate(dataset, [3], engine, join(tempDir(), 'journal.jsonl'), 2);
    for (const [id, record] of inProcess.sweep.journal.records) {
      const other = threaded.sweep.journal.records.get(id);
      assert.ok(other, `${id} missing from the threaded sweep`);
      record.testLoss.forEach((loss, s) =>
        assert.ok(Math.abs(loss - other.testLoss[s]) < 1e-5, `${id}: ${loss} vs ${other.testLoss[s]}`),
      );
    }
  } finally {
    await selectBackend(underTest);
  }
});
