import { InputError } from '../data/errors.js';
import { Journal, readJournal, type NetworkRecord } from './journal.js';
import { sameResult } from './record.js';
import { dirname } from 'node:path';
import { claimOutputFolder } from './outputFolder.js';
import { networkId, replicationsOf, SweepGroups } from './plan.js';
import { configDifference, type SweepConfig } from './config.js';

export interface MergeOutcome {
  journals: number;
  networks: number;
  /** Records found in more than one journal (with equal losses: the same network trained twice). */
  duplicates: number;
  /** Ids the sweep plan holds that no journal has. */
  missing: string[];
}

/**
 * Combines shard journals into one (appending to it, so merging again is harmless). Journals of another
 * configuration, and two different results for one network, are errors rather than silently mixed or dropped.
 */
export function mergeJournals(target: string, sources: string[]): MergeOutcome {
  if (sources.length === 0) throw new InputError('tra merge needs at least one journal to merge');
  const read = sources.map((path) => ({ path, ...readJournal(path) }));
  const { header } = read[0];
  const other = read.find((j) => j.header.configHash !== header.configHash);
  if (other)
    throw new InputError(
      `${other.path} was made with another configuration than ${read[0].path} (${configDifference(header.config, other.header.config)}): shards of one sweep share data, settings and model`,
    );
  const byId = new Map<string, NetworkRecord>();
  let duplicates = 0;
  for (const { path, records } of read)
    for (const record of records.values()) {
      const seen = byId.get(record.id);
      if (!seen) {
        byId.set(record.id, record);
        continue;
      }
      duplicates++;
      if (!sameResult(seen, record))
        throw new InputError(
          `${path}: network ${record.id} has a different result than in another journal (${record.testLoss} vs ${seen.testLoss})`,
        );
    }
  const seeds = [...new Set(read.flatMap((j) => j.header.plan?.seeds ?? []))];
  const groups = read[0].header.plan?.groups ?? SweepGroups.of([]);
  claimOutputFolder(dirname(target), 'tra merge');
  const journal = Journal.open(target, {
    kind: 'header',
    version: 1,
    configHash: header.configHash,
    config: header.config,
    dataSummary: header.dataSummary,
    plan: { seeds, groups },
  });
  journal.append([...byId.values()]);
  const planned = replicationsOf((header.config as SweepConfig).split, seeds).flatMap((r) =>
    Array.from(groups, (g) => networkId(r.key, g)),
  );
  return {
    journals: sources.length,
    networks: journal.records.size,
    duplicates,
    missing: planned.filter((id) => !journal.has(id)),
  };
}
