import { seedOfReplication } from '../affinity/stats.js';
import { testLossOf, validationLossOf, type NetworkRecord, type Records, type RecordLoss } from '../sweep/journal.js';
import { recordsWhere } from '../sweep/recordStore.js';
import { lossLookup, type GroupLoss, type LossTable } from './lossTable.js';

/**
 * Per loss of `losses`, one loss table per replication, from whatever networks the journal holds for it: the records
 * are read once for all of them, and an entry's group is one array shared by the tables of every loss (at 1000 tasks a
 * pass rebuilds 1,001,000 records, and a table's 500,500 groups are a third of its memory).
 */
function lossTablesOfRecords(
  records: Iterable<NetworkRecord>,
  taskNames: string[],
  replications: readonly string[],
  losses: readonly RecordLoss[],
): LossTable[][] {
  const byReplication = losses.map(() => new Map<string, GroupLoss[]>(replications.map((r) => [r, []])));
  for (const record of records) {
    let group: number[] | undefined;
    losses.forEach((lossOf, k) => {
      const loss = lossOf(record);
      const entries = loss === undefined ? undefined : byReplication[k].get(record.replication);
      if (loss === undefined || entries === undefined) return;
      group ??= [...record.group];
      entries.push({ group, loss: [...loss] });
    });
  }
  return byReplication.map((tables) => replications.map((r) => ({ taskNames, entries: tables.get(r) as GroupLoss[] })));
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
  return seedLossTablesOf(records, taskNames, replications, [lossOf])[0];
}

/** seedLossTables for each loss of `losses`, from one reading of the records. */
export function seedLossTablesOf(
  records: Iterable<NetworkRecord>,
  taskNames: string[],
  replications: readonly string[],
  losses: readonly RecordLoss[],
): LossTable[][] {
  return lossTablesOfRecords(records, taskNames, replications, losses).map((perReplication) =>
    seedsOf(replications).map((seed) =>
      meanLossTable(perReplication.filter((_, k) => seedOfReplication(replications[k]) === seed)),
    ),
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
  const [test, validation] = seedLossTablesOf(real.values(), taskNames, replications, [testLossOf, validationLossOf]);
  return { records: real, replications, seeds: seedsOf(replications), test, validation };
}
