import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { plantedClusters } from '../../src/data/synthetic.js';
import { PROTOCOL_SPLIT } from '../../src/data/split.js';
import { sweepConfig } from '../../src/sweep/config.js';
import { mergeJournals } from '../../src/sweep/merge.js';
import { SweepGroups } from '../../src/sweep/plan.js';
import { runSweep, parseShard } from '../../src/sweep/run.js';
import { InputError } from '../../src/data/errors.js';
import type { BackendName } from '../../src/engine/backend.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir } from '../helpers/files.js';
import { SMALL_ENGINE } from '../helpers/sweep.js';

const dataset = plantedClusters({ rows: 150, features: 10, clusters: 2, tasksPerCluster: 2, seed: 4 }).dataset;
const config = sweepConfig(dataset, { ...SMALL_ENGINE, epochs: 6 }, PROTOCOL_SPLIT);
const groups = SweepGroups.pairwise(4);
let backend: BackendName;

before(async () => {
  backend = await testBackend();
});

const sweep = (journalPath: string, shard?: { index: number; count: number }, seeds = [0, 1]) =>
  runSweep({ dataset, config, groups, seeds, journalPath, backend, workers: 1, quiet: true, shard });

test('shards merged equal the unsharded sweep, and an incomplete merge lists what is missing', async () => {
  const whole = await sweep(join(tempDir(), 'journal.jsonl'));
  const shards = [];
  for (let index = 1; index <= 3; index++)
    shards.push(await sweep(join(tempDir(), 'journal.jsonl'), { index, count: 3 }));
  assert.deepEqual(
    shards.map((s) => s.trained),
    [7, 7, 6],
    'the 20 jobs are dealt out round-robin',
  );
  const partial = mergeJournals(
    join(tempDir(), 'journal.jsonl'),
    shards.slice(0, 2).map((s) => s.journal.path),
  );
  assert.equal(partial.missing.length, 6);
  const target = join(tempDir(), 'journal.jsonl');
  const merged = mergeJournals(target, [...shards.map((s) => s.journal.path), shards[0].journal.path]);
  assert.equal(merged.networks, 20);
  assert.equal(merged.duplicates, 7, 'merging a shard twice counts its networks as duplicates, once each');
  assert.deepEqual(merged.missing, []);
  const again = await sweep(target);
  assert.equal(again.trained, 0, 'the merged journal is complete');
  for (const [id, record] of whole.journal.records) {
    const other = again.journal.records.get(id);
    assert.ok(other, id);
    record.testLoss.forEach((loss, k) =>
      assert.ok(Math.abs(loss - other.testLoss[k]) < 1e-5, `${id}: ${loss} vs ${other.testLoss[k]}`),
    );
  }
});

test('shard specs are checked', () => {
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  for (const bad of ['0/4', '5/4', '2', 'a/b']) assert.throws(() => parseShard(bad), InputError, bad);
});
