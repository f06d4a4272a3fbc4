import { seedOfReplication } from '../affinity/stats.js';
import { testLossOf, validationLossOf, type NetworkRecord, type Records, type RecordLoss } from '../sweep/journal.js';
import { groupKey } from '../sweep/plan.js';
import { recordsWhere } from '../sweep/recordStore.js';
import type { GroupLoss, LossTable } from './lossTable.js';

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

/** Per-group mean over replications, of the groups that every replication measured. */
export function meanLossTable(tables: readonly LossTable[]): LossTable {
  if (tables.length === 0) throw new RangeError('no replications to average');
  const byKey = tables.map((table) => new Map(table.entries.map((e) => [groupKey(e.group), e])));
  const entries = tables[0].entries
    .filter(({ group }) => byKey.every((m) => m.has(groupKey(group))))
    .map(({ group }) => ({
      group: [...group],
      loss: group.map(
        (_, k) => byKey.reduce((sum, m) => sum + (m.get(groupKey(group)) as GroupLoss).loss[k], 0) / tables.length,
      ),
    }));
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
