import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateAffinity, meanGain } from '../../src/affinity/estimate.js';
import { replicatesFromRecords } from '../../src/affinity/gain.js';
import { agreement } from '../../src/affinity/proxies/agreement.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { earlyMatrixAgreement } from '../../src/grouping/earlyStopping.js';
import { replicatedTables, seedLossTables, seedLossTablesOf } from '../../src/grouping/replicated.js';
import { measuredGroups } from '../../src/analysis/groupOutput.js';
import { testLossOf, validationLossOf } from '../../src/sweep/journal.js';
import { groupKey } from '../../src/sweep/plan.js';
import { earlyTestLossOf, type NetworkRecord, type Records } from '../../src/sweep/journal.js';
import { testBackend } from '../helpers/backend.js';
import { sweepAndEstimate } from '../helpers/sweep.js';

before(async () => {
  await testBackend();
});

const engine = { hidden: [16, 16], learningRate: 0.003, batchSize: 32, epochs: 8, patience: 3 };
const dataset = plantedClusters({ rows: 150, features: 10, clusters: 2, tasksPerCluster: 3, seed: 7 }).dataset;

/**
 * The records of `records`, each handed out as an object whose bestEpoch read is checked: within one pass of
 * values(), no more than one record has been handed out beyond those read (a reader that lists every record before
 * reading any holds them all at once: at 1000 tasks, 1,001,000 records rebuilt as objects).
 */
class OneAtATime implements Records {
  /** The most records of a pass handed out and not yet read when one is read (a pass that reads none counts none). */
  mostAhead = 0;
  /** Passes over the records (values() called). */
  passes = 0;
  constructor(private readonly records: Records) {}
  get size(): number {
    return this.records.size;
  }
  get(id: string): NetworkRecord | undefined {
    return this.records.get(id);
  }
  has(id: string): boolean {
    return this.records.has(id);
  }
  *values(): MapIterator<NetworkRecord> {
    this.passes++;
    let out = 0;
    let read = 0;
    for (const record of this.records.values()) {
      out++;
      const bestEpoch = record.bestEpoch;
      yield Object.defineProperty({ ...record }, 'bestEpoch', {
        enumerable: true,
        get: () => {
          this.mostAhead = Math.max(this.mostAhead, out - read);
          read++;
          return bestEpoch;
        },
      });
    }
  }
  *keys(): MapIterator<string> {
    yield* this.records.keys();
  }
  *entries(): MapIterator<[string, NetworkRecord]> {
    for (const record of this.values()) yield [record.id, record];
  }
  [Symbol.iterator](): MapIterator<[string, NetworkRecord]> {
    return this.entries();
  }
  forEach(each: (record: NetworkRecord, id: string, map: Records) => void): void {
    for (const record of this.values()) each(record, record.id, this);
  }
}

test('the early matrices are the estimate’s mean gains at each share of the epochs, read a record at a time', async () => {
  const { sweep, estimate } = await sweepAndEstimate(dataset, [0, 1], engine);
  const records = new OneAtATime(sweep.journal.records);
  const { taskNames, replications } = estimate;
  const points = earlyMatrixAgreement(records, taskNames, replications, engine, [0.25, 0.5], estimate.mean);
  assert.ok(points?.length === 2);
  assert.ok(records.mostAhead <= 1, `${records.mostAhead} records handed out before the first was read`);
  for (const point of points) {
    const replicates = replicatesFromRecords(records, taskNames.length, replications, earlyTestLossOf(point.epochs));
    const full = estimateAffinity(taskNames, replicates, 0.95).mean;
    const mean = meanGain(replicates, taskNames.length);
    assert.deepEqual(mean, full, 'meanGain is the estimate’s mean, cell for cell');
    const { spearman, kendall } = agreement('early', full, estimate.mean);
    assert.deepEqual({ spearman: point.spearman, kendall: point.kendall }, { spearman, kendall });
  }
});

test('the test and validation tables are made in one pass over the records, sharing each entry’s group', async () => {
  const { sweep, estimate } = await sweepAndEstimate(dataset, [0, 1], engine);
  const { taskNames, replications } = estimate;
  const store = sweep.journal.records;
  const records = new OneAtATime(store);
  const tables = replicatedTables(records, taskNames, replications);
  assert.equal(records.passes, 1, 'one pass for both splits');
  assert.deepEqual(tables.test, seedLossTables(store.values(), taskNames, replications, testLossOf));
  assert.deepEqual(tables.validation, seedLossTables(store.values(), taskNames, replications, validationLossOf));
  tables.test.forEach((table, s) =>
    table.entries.forEach((entry, k) => assert.equal(entry.group, tables.validation[s].entries[k].group)),
  );
  const [validation, test] = seedLossTablesOf(store.values(), taskNames, replications, [validationLossOf, testLossOf]);
  assert.deepEqual([validation, test], [tables.validation, tables.test]);
});

test('the measured groups are keyed once per records, and again once the records grow', async () => {
  const { sweep } = await sweepAndEstimate(dataset, [0], engine);
  const records = sweep.journal.records;
  const measured = measuredGroups(records);
  assert.deepEqual([...measured].sort(), [...new Set([...records.values()].map((r) => groupKey(r.group)))].sort());
  assert.equal(measuredGroups(records), measured, 'asked again: the same set, not the records read again');
  const first = [...records.values()][0];
  sweep.journal.append([
    {
      ...first,
      id: 's9/0+1+2',
      replication: 's9',
      seed: 9,
      group: [0, 1, 2],
      testLoss: [1, 1, 1],
      validationLoss: [1, 1, 1],
    },
  ]);
  assert.ok(measuredGroups(records).has('0+1+2'), 'a network appended since is measured');
});
