import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateAffinity, meanGain } from '../../src/affinity/estimate.js';
import { replicatesFromRecords } from '../../src/affinity/gain.js';
import { agreement } from '../../src/affinity/proxies/agreement.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { earlyMatrixAgreement } from '../../src/grouping/earlyStopping.js';
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
