import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimateAffinity } from '../../src/affinity/estimate.js';
import { replicatesFromRecords } from '../../src/affinity/gain.js';
import { inferCells } from '../../src/affinity/inference.js';
import { loadDataset } from '../../src/data/load.js';
import type { SplitScheme } from '../../src/data/split.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import type { Dataset } from '../../src/data/dataset.js';
import { earlyMatrixAgreement } from '../../src/grouping/earlyStopping.js';
import { seedLossTables } from '../../src/grouping/replicated.js';
import { journalProvenance } from '../../src/report/provenance.js';
import { readJournal, validationLossOf, type NetworkRecord, type Records } from '../../src/sweep/journal.js';
import { replicationsOf } from '../../src/sweep/plan.js';
import { RecordStore, recordOf, recordsWhere } from '../../src/sweep/recordStore.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir } from '../helpers/files.js';
import { sweepAndEstimate } from '../helpers/sweep.js';

before(async () => {
  await testBackend();
});

const engine = { hidden: [16, 16], learningRate: 0.003, batchSize: 32, epochs: 8, patience: 3 };

/** A journal's records as every analysis read them before the columnar store: each line's object, by id. */
function recordsAsObjects(path: string): Map<string, NetworkRecord> {
  const lines = readFileSync(path, 'utf8').split('\n').slice(1);
  return new Map(
    lines
      .filter((line) => line.trim() !== '')
      .map((line): [string, NetworkRecord] => {
        const record = JSON.parse(line) as NetworkRecord;
        return [record.id, record];
      }),
  );
}

/** Everything the sweep's analyses compute from the records: the same from the store as from the objects. */
function analysesOf(records: Records, dataset: Dataset, split: SplitScheme, seeds: number[], path: string) {
  const { header } = readJournal(path);
  const taskNames = dataset.taskNames;
  const replications = replicationsOf(split, seeds).map((r) => r.key);
  const replicates = replicatesFromRecords(records, taskNames.length, replications);
  const estimate = estimateAffinity(taskNames, replicates, 0.95);
  const validation = replicatesFromRecords(records, taskNames.length, replications, validationLossOf);
  return {
    estimate,
    inference: inferCells(replicates, 0.05),
    validation: estimateAffinity(taskNames, validation, 0.9),
    // the early-stopping approximation re-reads every epoch's losses from the compact per-epoch form
    early: earlyMatrixAgreement(records, taskNames, replications, engine, [0.25, 0.5, 0.75], estimate.mean),
    tables: seedLossTables(records.values(), taskNames, replications),
    provenance: { ...journalProvenance(header.config, records), createdAt: 'when it ran' },
  };
}

async function compareOn(dataset: Dataset, split: SplitScheme, seeds: number[]): Promise<void> {
  const path = join(tempDir(), 'journal.jsonl');
  await sweepAndEstimate(dataset, seeds, engine, path, 1, split);
  const objects = recordsAsObjects(path);
  const { records } = readJournal(path);
  assert.ok(records instanceof RecordStore);
  assert.equal(records.size, objects.size);
  assert.deepEqual([...records.keys()], [...objects.keys()], 'in the journal order');
  for (const [id, record] of objects) {
    assert.equal(JSON.stringify(records.get(id)), JSON.stringify(record), `${id} reads back as written`);
    assert.deepEqual(records.get(id), record);
  }
  assert.ok(
    [...records.values()].some((r) => r.perEpoch && r.perEpoch.earlier !== ''),
    'the journal holds earlier selections (the early-stopping approximation reads them)',
  );
  const fromStore = analysesOf(records, dataset, split, seeds, path);
  const fromObjects = analysesOf(objects, dataset, split, seeds, path);
  assert.ok(fromStore.early && fromStore.early.length === 3, 'the approximation was computed');
  assert.deepEqual(fromStore, fromObjects, 'every analysis equal, bit for bit');
}

test('yeast, 2 seeds: the columnar store reads back every record and every analysis as the records did', async () => {
  const yeast = loadDataset('analyses/data/yeast.csv', { tasks: 'last:6' });
  await compareOn(yeast, { kind: 'holdout', validation: 0.2, test: 0.2 }, [0, 1]);
});

test('planted clusters, cross-fitted (2 seeds x 2 folds): the same through the store', async () => {
  const planted = plantedClusters({ rows: 120, features: 8, clusters: 2, tasksPerCluster: 3, seed: 4 }).dataset;
  await compareOn(planted, { kind: 'kfold', folds: 2 }, [3, 5]);
});

/** A record in a sweep's field order (kind ... bestEpoch, then `extra`, then backend, seconds, finishedAt). */
const record = (group: number[], extra: Partial<NetworkRecord> = {}): NetworkRecord => ({
  kind: 'network',
  id: `s0/${group.join('+')}`,
  replication: 's0',
  seed: 0,
  fold: 0,
  group,
  testLoss: group.map((t) => 0.1 + t),
  validationLoss: group.map((t) => 0.2 + t),
  bestEpoch: 2,
  ...extra,
  backend: 'imported',
  seconds: 0.5,
  finishedAt: '2026-12-05T00:00:00.000Z',
});

test('records the columns do not hold are kept whole, and only canonical ids name a network', () => {
  const store = new RecordStore(4);
  const kept = [
    record([0], { byEpoch: [{ validation: [0.3], test: [0.4] }] }),
    record([1], { examples: [[0.1, 0.2]] }),
    record([2], { cost: 0.25 }),
    { ...record([3]), fromANewerVersion: true } as NetworkRecord,
    record([0, 2], { validationLoss: [] }),
    { ...record([1, 3]), perEpoch: { epochs: 3, earlier: 'AQ' } } as NetworkRecord,
  ];
  const compact = [
    record([2, 3], { perEpoch: { epochs: 4, earlier: Buffer.from([1, 0, 0, 0]).toString('base64') } }),
    record([0, 1, 2]),
  ];
  for (const r of [...kept, ...compact]) store.add(r);
  assert.equal(store.size, kept.length + compact.length);
  for (const r of kept) assert.equal(store.get(r.id), r, `${r.id} is the object added`);
  for (const r of compact) assert.deepEqual(store.get(r.id), r, `${r.id} is rebuilt as added`);
  assert.deepEqual([...store.values()], [...kept, ...compact], 'in the order added');
  assert.deepEqual(store.find('s0', [0, 1, 2]), compact[1]);
  for (const id of ['s0/01', 's0/1+0', 's0/0+0', 's0/4', 's0/1+3+', 's0/x', 's0', '', 's1/0', 's0/1+2'])
    assert.equal(store.has(id), false, `'${id}' names no network`);
});

test('a view of the records a test accepts is the filtered map: size, lookups, order, and what the analyses read', () => {
  const store = new RecordStore(4);
  const added = [record([0]), record([1]), record([3]), record([0, 3]), record([1, 2]), record([0, 1, 2])];
  for (const r of added) store.add(r);
  const keep = (r: NetworkRecord): boolean => r.group.every((t) => t < 3);
  const map = new Map([...store].filter(([, r]) => keep(r)));
  const view = recordsWhere(store, keep);
  assert.equal(view.size, map.size);
  assert.deepEqual([...view], [...map], 'the same entries in the same order');
  assert.deepEqual([...view.keys()], [...map.keys()]);
  assert.deepEqual([...view.values()], [...map.values()]);
  const seen: string[] = [];
  view.forEach((r, id, from) => {
    assert.equal(from, view);
    assert.equal(r.id, id);
    seen.push(id);
  });
  assert.deepEqual(seen, [...map.keys()]);
  for (const r of added) {
    assert.deepEqual(view.get(r.id), map.get(r.id), r.id);
    assert.equal(view.has(r.id), map.has(r.id), r.id);
    assert.deepEqual(recordOf(view, 's0', r.group), map.get(r.id), `${r.id} found by its tasks`);
  }
  assert.equal(recordOf(view, 's1', [0]), undefined);
  const nested = recordsWhere(view, (r) => r.group.length === 1);
  assert.deepEqual([...nested.keys()], ['s0/0', 's0/1']);
});
