import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError, InputError } from '../data/errors.js';
import { LOSS_SCHEMA, LOSS_SCHEMA_VERSION, type LossFile, type LossRow, type Metric, type Split } from '../data/lossFile.js';
import type { EpochLosses } from '../engine/train.js';
import { readJournal, type JournalHeader, type NetworkRecord } from './journal.js';
import { importedConfigHash } from './record.js';
import { groupKey, networkId, pairwiseGroups, replicationKey, uniqueGroups, type Group } from './plan.js';

/** Where imported losses came from: the journal header's `config` of an imported journal. */
export interface ImportedSource {
  schema: string;
  version: number;
  /** Files the losses were read from (for a Standley table: validation, test, early-stopping). */
  files: string[];
  sha256: string;
  metric: Metric;
  /** Rows (or table lines) read. */
  rows: number;
}

/** The configuration of an imported journal: the losses were measured elsewhere, only their source is known. */
export interface ImportedConfig {
  imported: ImportedSource;
  taskNames: string[];
  splits: Split[];
  /** The longest per-epoch curve, when the source had per-epoch rows (the early-stopping approximation needs them). */
  epochs?: number;
}

export const isImportedConfig = (config: unknown): config is ImportedConfig => typeof config === 'object' && config !== null && 'imported' in config;

/** A journal-equivalent: the header and records that `tra affinity`, `tra group` and the report read like a sweep's. */
export interface ImportedJournal {
  header: Omit<JournalHeader, 'config'> & { config: ImportedConfig };
  records: NetworkRecord[];
}

/** What a user should know about an import that is not an error. */
export interface ImportNotes {
  /** Groups of 3+ tasks that were measured (the rest are approximated from pairs by the selection). */
  largerGroups: Group[];
  /** Splits the file lacks (no validation: grouping cannot choose). */
  missingSplits: Split[];
}

/**
 * Turns validated rows into journal records, one per network and replication. Refused, naming a line: a task outside
 * `taskNames`, a repeated or conflicting row, rows of one network missing a task or split, a network trained in some
 * replications but not others, and a missing single or pair (all of which the affinity needs).
 */
export function importLossFile(
  loss: LossFile,
  options: { taskNames?: string[]; createdAt?: string; source?: Omit<ImportedSource, 'metric'> } = {},
): { journal: ImportedJournal; notes: ImportNotes } {
  const { file, rows } = loss;
  const fail = (row: LossRow, problem: string, column?: string): never => {
    throw new DataError(file, problem, row.line, column);
  };
  const taskNames = options.taskNames ?? [...new Set(rows.flatMap((r) => r.network))];
  for (const row of rows)
    for (const task of row.network) if (!taskNames.includes(task)) fail(row, `unknown task '${task}' (tasks: ${taskNames.join(', ')})`, 'network');
  const crossFitted = rows[0].fold !== undefined;
  const perEpoch = rows[0].epoch !== undefined;
  for (const row of rows) {
    if ((row.fold !== undefined) !== crossFitted) fail(row, `every row needs a fold or none does (line ${rows[0].line} ${crossFitted ? 'has' : 'has none'})`, 'fold');
    if ((row.epoch !== undefined) !== perEpoch) fail(row, `every row needs an epoch or none does (line ${rows[0].line} ${perEpoch ? 'has' : 'has none'})`, 'epoch');
  }
  const splits = (['validation', 'test'] as const).filter((s) => rows.some((r) => r.split === s));
  if (!splits.includes('test')) throw new DataError(file, 'no test rows: the affinity and every score use test losses');

  // network x replication -> its rows, after the duplicate and conflict checks
  const cells = new Map<string, LossRow>();
  const networks = new Map<string, { group: Group; replication: string; seed: number; fold: number; rows: LossRow[] }>();
  for (const row of rows) {
    const group = row.network.map((t) => taskNames.indexOf(t)).sort((a, b) => a - b);
    const replication = replicationKey({ seed: row.seed, fold: row.fold ?? 0 }, crossFitted);
    const cell = `${networkId(replication, group)}|${row.split}|${row.task}|${row.epoch ?? ''}`;
    const seen = cells.get(cell);
    if (seen)
      fail(row, seen.loss === row.loss ? `duplicate row (the same network, replication, split, task${perEpoch ? ', epoch' : ''} as line ${seen.line})` : `conflicting values: ${row.loss} here, ${seen.loss} at line ${seen.line}`, 'loss');
    cells.set(cell, row);
    const id = networkId(replication, group);
    if (!networks.has(id)) networks.set(id, { group, replication, seed: row.seed, fold: row.fold ?? 0, rows: [] });
    networks.get(id)?.rows.push(row);
  }

  const replications = [...new Set([...networks.values()].map((n) => n.replication))];
  const groups = uniqueGroups([...networks.values()].map((n) => n.group));
  const name = (group: Group): string => `{${group.map((t) => taskNames[t]).join(', ')}}`;
  for (const group of groups) {
    const absent = replications.filter((r) => !networks.has(networkId(r, group)));
    if (absent.length) {
      const first = [...networks.values()].find((n) => groupKey(n.group) === groupKey(group)) as { rows: LossRow[] };
      fail(first.rows[0], `the network set has holes: network ${name(group)} has no rows for replication(s) ${absent.join(', ')} (other replications trained it)`, 'network');
    }
  }
  const missing = pairwiseGroups(taskNames.length).filter((g) => !groups.some((h) => groupKey(h) === groupKey(g)));
  if (missing.length)
    throw new DataError(file, `not trained: ${missing.map(name).join(' ')}; the affinity needs every task alone and every pair (${missing.length} of ${pairwiseGroups(taskNames.length).length} missing)`);

  const createdAt = options.createdAt ?? new Date().toISOString();
  const records = [...networks.entries()].map(([id, n]) => networkRecord(file, id, n, taskNames, splits, perEpoch, createdAt));
  const epochs = perEpoch ? Math.max(...records.map((r) => r.byEpoch?.length ?? 0)) : undefined;
  if (epochs !== undefined) for (const r of records) while ((r.byEpoch as EpochLosses[]).length < epochs) r.byEpoch?.push(r.byEpoch[r.byEpoch.length - 1]);
  const config: ImportedConfig = {
    imported: { ...(options.source ?? { schema: LOSS_SCHEMA, version: LOSS_SCHEMA_VERSION, files: [file], sha256: loss.sha256, rows: rows.length }), metric: loss.metric },
    taskNames,
    splits,
    ...(epochs === undefined ? {} : { epochs }),
  };
  return {
    journal: { header: importedHeader(config, createdAt, groups, records), records },
    notes: { largerGroups: groups.filter((g) => g.length >= 3), missingSplits: (['validation', 'test'] as const).filter((s) => !splits.includes(s)) },
  };
}

export function importedHeader(config: ImportedConfig, createdAt: string, groups: Group[], records: NetworkRecord[]): ImportedJournal['header'] {
  const seeds = [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b);
  const configHash = importedConfigHash(config);
  return { kind: 'header', version: 1, configHash, config, plan: { seeds, groups }, createdAt };
}

/**
 * One network's record. With per-epoch rows its reported losses are those of the epoch with the lowest total
 * validation loss (PROTOCOL.md step 5, as the toolkit's own sweep selects), and byEpoch[e - 1] is what stopping after
 * e epochs would have reported.
 */
function networkRecord(
  file: string,
  id: string,
  network: { group: Group; replication: string; seed: number; fold: number; rows: LossRow[] },
  taskNames: string[],
  splits: readonly Split[],
  perEpoch: boolean,
  finishedAt: string,
): NetworkRecord {
  const { group, rows } = network;
  const at = new Map(rows.map((r) => [`${r.split}|${r.task}|${r.epoch ?? ''}`, r.loss]));
  const epochs = perEpoch ? Math.max(...rows.map((r) => r.epoch as number)) : 0;
  const losses = (split: Split, epoch?: number): number[] =>
    group.map((t) => {
      const value = at.get(`${split}|${taskNames[t]}|${epoch ?? ''}`);
      if (value === undefined)
        throw new DataError(file, `network ${id.replace(/^.*\//, '')} of replication ${network.replication} lacks the ${split} loss of task ${taskNames[t]}${epoch === undefined ? '' : ` at epoch ${epoch} (per-epoch rows run 1..${epochs})`}`, rows[0].line);
      return value;
    });
  const base = { kind: 'network' as const, id, replication: network.replication, seed: network.seed, fold: network.fold, group, backend: 'imported', seconds: 0, finishedAt };
  if (!perEpoch) return { ...base, testLoss: losses('test'), validationLoss: splits.includes('validation') ? losses('validation') : [], bestEpoch: 0 };
  if (!splits.includes('validation')) throw new DataError(file, 'per-epoch rows need validation losses: the reported epoch is chosen on them', rows[0].line, 'epoch');
  const byEpoch: EpochLosses[] = [];
  let best = { total: Infinity, epoch: 0, validation: [] as number[], test: [] as number[] };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const validation = losses('validation', epoch);
    const total = validation.reduce((s, l) => s + l, 0);
    if (total < best.total) best = { total, epoch, validation, test: losses('test', epoch) };
    else losses('test', epoch); // a missing test row is an error even at an epoch that was not selected
    byEpoch.push({ validation: best.validation, test: best.test });
  }
  return { ...base, testLoss: best.test, validationLoss: best.validation, bestEpoch: best.epoch, byEpoch };
}

/**
 * Writes the journal-equivalent. Nothing is overwritten: a folder holding another journal is refused, unless it is an
 * import of the very same source (re-importing is idempotent).
 */
export function writeImportedJournal(path: string, journal: ImportedJournal): void {
  if (existsSync(path)) {
    const { header } = readJournal(path);
    if (header.configHash !== journal.header.configHash)
      throw new InputError(`${path} already holds other results; choose another --out folder or delete it to start over`);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, [journal.header, ...journal.records].map((e) => JSON.stringify(e)).join('\n') + '\n');
}

/** Reads an imported journal back, checking what the analyses rely on; a sweep's journal is refused. */
export function readImportedJournal(path: string): { config: ImportedConfig; records: Map<string, NetworkRecord> } {
  const { header, records } = readJournal(path);
  const config = header.config;
  if (!isImportedConfig(config)) throw new InputError(`${path}: not an imported journal (a sweep's journal: use its analysis definition)`);
  const { taskNames } = config;
  if (!Array.isArray(taskNames) || taskNames.length < 2) throw new InputError(`${path}:1: an imported journal needs two or more task names`);
  let line = 1;
  for (const r of records.values()) {
    line++;
    const bad = (problem: string): never => {
      throw new InputError(`${path}:${line}: network ${r.id}: ${problem}`);
    };
    if (!Array.isArray(r.group) || r.group.some((t, k) => !Number.isInteger(t) || t < 0 || t >= taskNames.length || (k > 0 && t <= r.group[k - 1]))) bad('tasks out of range or unsorted');
    if (!Array.isArray(r.testLoss) || r.testLoss.length !== r.group.length || r.testLoss.some((l) => !(l > 0))) bad('expected one positive test loss per task');
    const expected = config.splits.includes('validation') ? r.group.length : 0;
    if (!Array.isArray(r.validationLoss) || r.validationLoss.length !== expected || r.validationLoss.some((l) => !(l > 0))) bad(`expected ${expected} positive validation losses`);
    if (r.id !== networkId(r.replication, r.group)) bad('its id does not match its replication and tasks');
  }
  return { config, records };
}
