import { seedOfReplication } from '../affinity/stats.js';
import { testLossOf, validationLossOf, type NetworkRecord, type Records, type RecordLoss } from '../sweep/journal.js';
import { recordsWhere } from '../sweep/recordStore.js';
import { lossLookup, type GroupLoss, type LossTable } from './lossTable.js';

/** One loss table per replication, from whatever networks the journal holds for it. */
function lossTablesOfRecords(
  records: Iterable<NetworkRecord>,
  taskNames: string[],
  replications: readonly string[],
  lossOf: RecordLoss = testLossOf,
): LossTable[] {
  const byReplication = new Map<string, GroupLoss[]>(replications.map((r) => [r, []]));
  for (const record of records) {
    const loss = lossOf(record);
    if (loss !== undefined) byReplication.get(record.replication)?.push({ group: [...record.group], loss: [...loss] });
  }
  return replications.map((r) => ({ taskNames, entries: byReplication.get(r) as GroupLoss[] }));
}

/** The seeds of replication keys, in first-seen order: the units of grouping's intervals. */
export const seedsOf = (replications: readonly string[]): string[] => [...new Set(replications.map(seedOfReplication))];

/**
 * One loss table per seed: the mean over the seed's replications (folds) of the networks all of them measured. The
 * folds of a seed are not independent, so every interval and paired comparison over these tables has the seed as its
 * unit (SEED_LEVEL in affinity/stats).
 */
export function seedLossTables(
  records: Iterable<NetworkRecord>,
  taskNames: string[],
  replications: readonly string[],
  lossOf: RecordLoss = testLossOf,
): LossTable[] {
  const perReplication = lossTablesOfRecords(records, taskNames, replications, lossOf);
  return seedsOf(replications).map((seed) =>
    meanLossTable(perReplication.filter((_, k) => seedOfReplication(replications[k]) === seed)),
  );
}

/**
 * Per-group mean over replications, of the groups that every replication measured. Groups are found in the other
 * tables through their lookups (singles and pairs by index): at 1000 tasks a key per group and table was a million
 * strings per call. One table is its own mean, returned as it is (tables are not changed once made), so that its
 * lookup is made once.
 */
export function meanLossTable(tables: readonly LossTable[]): LossTable {
  if (tables.length === 0) throw new RangeError('no replications to average');
  if (tables.length === 1) return tables[0];
  const lookups = tables.map(lossLookup);
  const entries: GroupLoss[] = [];
  for (const { group } of tables[0].entries) {
    const found = lookups.map((lookup) => lookup.entry(group));
    if (!found.every((e) => e !== undefined)) continue;
    entries.push({
      group: [...group],
      loss: group.map((_, k) => found.reduce((sum, e) => sum + (e as GroupLoss).loss[k], 0) / tables.length),
    });
  }
  return { taskNames: tables[0].taskNames, entries };
}

/** A sweep's records and per-seed tables over the real tasks: the tables for choosing and for scoring. */
export interface ReplicatedTables {
  records: Records;
  replications: string[];
  /** The seeds of `replications`: one test and one validation table each. */
  seeds: string[];
  test: LossTable[];
  validation: LossTable[];
}

/**
 * The journal's networks over the first `taskNames.length` tasks only: null controls come after the real tasks and
 * are for calibration, not for grouping.
 */
export function replicatedTables(records: Records, taskNames: string[], replications: string[]): ReplicatedTables {
  const real = recordsWhere(records, (r) => r.group.every((t) => t < taskNames.length));
  return {
    records: real,
    replications,
    seeds: seedsOf(replications),
    test: seedLossTables(real.values(), taskNames, replications),
    validation: seedLossTables(real.values(), taskNames, replications, validationLossOf),
  };
}
