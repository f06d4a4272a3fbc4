import { testLossOf, validationLossOf, type NetworkRecord, type RecordLoss } from '../sweep/journal.js';
import { groupKey, type GroupLoss, type LossTable } from './lossTable.js';

/** One loss table per replication, from whatever networks the journal holds for it. */
export function lossTablesOfRecords(records: Iterable<NetworkRecord>, taskNames: string[], replications: readonly string[], lossOf: RecordLoss = testLossOf): LossTable[] {
  const byReplication = new Map<string, GroupLoss[]>(replications.map((r) => [r, []]));
  for (const record of records) {
    const loss = lossOf(record);
    if (loss !== undefined) byReplication.get(record.replication)?.push({ group: [...record.group], loss: [...loss] });
  }
  return replications.map((r) => ({ taskNames, entries: byReplication.get(r) as GroupLoss[] }));
}

/** Per-group mean over replications, of the groups that every replication measured. */
export function meanLossTable(tables: readonly LossTable[]): LossTable {
  if (tables.length === 0) throw new RangeError('no replications to average');
  const byKey = tables.map((table) => new Map(table.entries.map((e) => [groupKey(e.group), e])));
  const entries = tables[0].entries
    .filter(({ group }) => byKey.every((m) => m.has(groupKey(group))))
    .map(({ group }) => ({
      group: [...group],
      loss: group.map((_, k) => byKey.reduce((sum, m) => sum + (m.get(groupKey(group)) as GroupLoss).loss[k], 0) / tables.length),
    }));
  return { taskNames: tables[0].taskNames, entries };
}

/** A sweep's records and per-replication tables over the real tasks: the tables for choosing and for scoring. */
export interface ReplicatedTables {
  records: Map<string, NetworkRecord>;
  replications: string[];
  test: LossTable[];
  validation: LossTable[];
}

/**
 * The journal's networks over the first `taskNames.length` tasks only: null controls come after the real tasks and
 * are for calibration, not for grouping.
 */
export function replicatedTables(records: Map<string, NetworkRecord>, taskNames: string[], replications: string[]): ReplicatedTables {
  const real = new Map([...records].filter(([, r]) => r.group.every((t) => t < taskNames.length)));
  return {
    records: real,
    replications,
    test: lossTablesOfRecords(real.values(), taskNames, replications),
    validation: lossTablesOfRecords(real.values(), taskNames, replications, validationLossOf),
  };
}
