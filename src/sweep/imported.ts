import { createHash } from 'node:crypto';
import { max } from 'd3-array';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataError, InputError } from '../data/errors.js';
import { createFolder, refuseLink, writeFileAtomic } from '../io/write.js';
import { lookAlikeProblem } from '../data/names.js';
import { LOSS_SCHEMA, type LossFile, type LossRow, type Metric, type Split } from '../data/lossFile.js';
import type { MergedLosses, ResultInput, SourceFile } from '../data/lossSources.js';
import { ResultError, resultLosses, type ResultLosses } from '../data/resultFile.js';
import type { EpochLosses } from '../engine/train.js';
import {
  closedLoopJournalPathOf,
  journalFirstLine,
  journalPathOf,
  readJournal,
  type JournalHeader,
  type NetworkRecord,
  type Records,
} from './journal.js';
import { isImportedConfig } from './config.js';
import { importedConfigHash } from './record.js';
import { groupKey, networkId, pairwiseGroups, replicationKey, SweepGroups, uniqueGroups, type Group } from './plan.js';

/** Where imported losses came from: the journal header's `config` of an imported journal. */
export interface ImportedSource {
  schema: string;
  version: number;
  /** Files the losses were read from (for a Standley table: validation, test, early-stopping). */
  files: string[];
  /** One file's hash, or for several files the hash of their hashes in order. */
  sha256: string;
  metric: Metric;
  /** Rows (or table lines) read. */
  rows: number;
  /** Long-format imports: each file with the folder's copy of it, which a later import into the folder reads again. */
  sources?: SourceFile[];
}

/** The configuration of an imported journal: the losses were measured elsewhere, only their source is known. */
export interface ImportedConfig {
  imported: ImportedSource;
  taskNames: string[];
  splits: Split[];
  /** The longest per-epoch curve, when the source had per-epoch rows (the early-stopping approximation needs them). */
  epochs?: number;
}

/** A network at a cost other than 1 (e.g. a half-size network): a candidate of the costed selection, not a journal record. */
export interface CostedRecord {
  cost: number;
  record: NetworkRecord;
}

/** Per record id, each of its tasks' per-example test losses at the reported epoch ([task of the group][example]). */
export type TestExamples = Map<string, number[][]>;

/** A journal-equivalent: the header and records that `tra affinity`, `tra group` and the report read like a sweep's. */
export interface ImportedJournal {
  header: Omit<JournalHeader, 'config'> & { config: ImportedConfig };
  /** The full-size (cost 1) networks. */
  records: NetworkRecord[];
  costed: CostedRecord[];
  /** Present when the file has per-example test losses. */
  examples?: TestExamples;
  /** Networks of the closed loop's fresh replications (`ImportOptions.freshReplications`): its own journal. */
  closedLoop: NetworkRecord[];
}

/** What a user should know about an import that is not an error. */
export interface ImportNotes {
  /** Groups of 3+ tasks that were measured (the rest are approximated from pairs by the selection). */
  largerGroups: Group[];
  /** Splits the file lacks (no validation: grouping cannot choose). */
  missingSplits: Split[];
}

export interface LossImportOptions {
  /** Task names in order; rows naming other tasks are errors. Default: every task the rows name, in order. */
  taskNames?: string[];
  /** Where `taskNames` came from, for errors (e.g. the folder's earlier import). */
  taskNamesFrom?: string;
  createdAt?: string;
  source?: Omit<ImportedSource, 'metric'>;
  /**
   * The closed loop's fresh replications (tra group --validate listed their networks): their rows become the closed
   * loop's records rather than the sweep's, and need not hold every single and pair.
   */
  freshReplications?: ReadonlySet<string>;
}

/** One network of one replication (at one cost) and its rows. */
interface ImportedNetwork {
  group: Group;
  cost: number;
  replication: string;
  seed: number;
  fold: number;
  rows: LossRow[];
  /** The network's result file, when one gave it. */
  result?: ResultInput;
}

/** A single file's rows as an import's input. */
export const lossInputOf = (loss: LossFile): MergedLosses => ({
  sources: [{ file: loss.file, sha256: loss.sha256, rows: loss.rows.length }],
  metric: loss.metric,
  version: loss.version,
  rows: loss.rows,
  results: [],
});

/** The hash an import's source is known by: its file's, or for several files that of their hashes in order. */
const sourcesHash = (sources: readonly SourceFile[]): string =>
  sources.length === 1
    ? sources[0].sha256
    : createHash('sha256')
        .update(sources.map((s) => s.sha256).join(','))
        .digest('hex');

/** `importLosses` of one file. */
export const importLossFile = (
  loss: LossFile,
  options: LossImportOptions = {},
): { journal: ImportedJournal; notes: ImportNotes } => importLosses(lossInputOf(loss), options);

/**
 * Turns validated rows (of one file or several merged) into journal records, one per network and replication.
 * Refused, naming file and line: a task outside `taskNames`, a repeated or conflicting row (within a file, or two
 * files giving one network other numbers), rows of one network missing a task or split, a network trained in some
 * replications but not others, a replication without every single and pair (all of which the affinity needs; only
 * the closed loop's fresh replications may hold fewer), and per-example losses on some test rows but not others or of
 * another length than the replication's other test rows. The same row in two files is one measurement, kept once.
 */
export function importLosses(
  input: MergedLosses,
  options: LossImportOptions = {},
): { journal: ImportedJournal; notes: ImportNotes } {
  // a result file's network enters as rows (the checks of tasks, duplicates, conflicts and examples are the same) and
  // keeps its result, from which its record is made exactly as from the training command's (data/resultFile.ts)
  const resultOf = new Map<LossRow, ResultInput>();
  const rows = [...input.rows];
  for (const result of input.results)
    for (const row of resultRows(result)) {
      resultOf.set(row, result);
      rows.push(row);
    }
  const fail = (row: LossRow, problem: string, column?: string): never => {
    throw new DataError(row.file, problem, row.line, column);
  };
  const at = (row: LossRow, from: LossRow): string =>
    row.file === from.file ? `line ${row.line}` : `${row.file}:${row.line}`;
  const taskNames = options.taskNames ?? [...new Set(rows.flatMap((r) => r.network))];
  const spellings = new Map<string, string>();
  for (const row of rows)
    for (const task of row.network) {
      const other = spellings.get(task.normalize('NFC')) ?? task;
      if (other !== task) fail(row, lookAlikeProblem([other, task]) as string, 'network');
      spellings.set(task.normalize('NFC'), task);
    }
  for (const row of rows)
    for (const task of row.network)
      if (!taskNames.includes(task))
        fail(
          row,
          `unknown task '${task}' (tasks${options.taskNamesFrom ? ` of ${options.taskNamesFrom}` : ''}: ${taskNames.join(', ')})`,
          'network',
        );
  // the form is the first file's (every other file has it: data/lossSources.ts); rows must agree within a file
  const crossFitted = (input.rows[0] ?? input.results[0].result).fold !== undefined;
  const perEpoch = input.rows.length
    ? input.rows[0].epoch !== undefined
    : Object.values(input.results[0].result.tasks).some((t) => t.epochs);
  for (const row of input.rows) {
    if ((row.fold !== undefined) !== crossFitted)
      fail(
        row,
        `every row needs a fold or none does (${at(rows[0], row)} ${crossFitted ? 'has' : 'has none'})`,
        'fold',
      );
    if ((row.epoch !== undefined) !== perEpoch)
      fail(
        row,
        `every row needs an epoch or none does (${at(rows[0], row)} ${perEpoch ? 'has' : 'has none'})`,
        'epoch',
      );
  }
  const splits = (['validation', 'test'] as const).filter((s) => rows.some((r) => r.split === s));
  const sourceNames = input.sources.map((s) => s.file).join(', ');
  if (!splits.includes('test'))
    throw new DataError(sourceNames, 'no test rows: the affinity and every score use test losses');
  const fresh = options.freshReplications ?? new Set<string>();
  const replicationOf = (row: LossRow): string => replicationKey({ seed: row.seed, fold: row.fold ?? 0 }, crossFitted);
  // the closed loop scores totals only: its networks need no per-example losses
  const sweepRows = fresh.size ? rows.filter((r) => !fresh.has(replicationOf(r))) : rows;
  const withExamples = sweepRows.find((r) => r.examples);
  if (withExamples) checkExampleLengths(sweepRows, withExamples, crossFitted);

  // network x replication -> its rows, after the duplicate and conflict checks; a task set at two costs is two networks
  const cells = new Map<string, LossRow>();
  const networks = new Map<string, ImportedNetwork>();
  for (const row of rows) {
    const group = row.network.map((t) => taskNames.indexOf(t)).sort((a, b) => a - b);
    const replication = replicationOf(row);
    const cost = row.cost ?? 1;
    const id = `${networkId(replication, group)}@${cost}`;
    const cell = `${id}|${row.split}|${row.task}|${row.epoch ?? ''}`;
    const seen = cells.get(cell);
    if (seen) {
      const same = seen.loss === row.loss && String(seen.examples) === String(row.examples);
      if (same && seen.file !== row.file) continue; // one measurement in two files
      fail(
        row,
        same
          ? `duplicate row (the same network, cost, replication, split, task${perEpoch ? ', epoch' : ''} as line ${seen.line})`
          : `conflicting values: ${row.loss} here, ${seen.loss} at ${at(seen, row)}${seen.loss === row.loss ? ' (other per-example losses)' : ''}`,
        'loss',
      );
    }
    cells.set(cell, row);
    if (!networks.has(id))
      networks.set(id, { group, cost, replication, seed: row.seed, fold: row.fold ?? 0, rows: [] });
    const network = networks.get(id) as ImportedNetwork;
    network.rows.push(row);
    network.result ??= resultOf.get(row);
  }
  // per-epoch curves are padded to the longest, as the toolkit's sweep pads to its epochs
  // d3's max, not Math.max(...rows): spreading 10^5 arguments overflows the stack (an import of 200 tasks did)
  const longest = Math.max(
    0,
    max(input.rows, (r) => r.epoch ?? 0) ?? 0,
    max(
      input.results.flatMap(({ result }) => Object.values(result.tasks)),
      (t) => t.epochs?.validation.length ?? 0,
    ) ?? 0,
  );

  const closedLoopNetworks = [...networks.values()].filter((n) => fresh.has(n.replication));
  for (const n of closedLoopNetworks)
    if (n.cost !== 1)
      fail(n.rows[0], `the closed loop's fresh replication ${n.replication} holds full-size networks only`, 'cost');
  const sweepNetworks = [...networks.values()].filter((n) => !fresh.has(n.replication));
  if (sweepNetworks.length === 0)
    throw new DataError(
      sourceNames,
      `every row belongs to the closed loop's fresh replications (${[...fresh].join(', ')}): import them into the folder whose sweep they check`,
    );
  checkComplete(sweepNetworks, taskNames);

  const createdAt = options.createdAt ?? new Date().toISOString();
  const recordsOf = (list: ImportedNetwork[]) =>
    list.map((n) => ({
      cost: n.cost,
      ...(n.result
        ? resultRecord(n, n.result, taskNames, crossFitted, longest, createdAt)
        : networkRecord(n, taskNames, splits, perEpoch, createdAt)),
    }));
  const built = recordsOf(sweepNetworks);
  const closedLoop = recordsOf(closedLoopNetworks).map((b) => b.record);
  const epochs = perEpoch ? (max(built, (b) => b.record.byEpoch?.length ?? 0) ?? 0) : undefined;
  if (epochs !== undefined)
    for (const { record } of built)
      while ((record.byEpoch as EpochLosses[]).length < epochs)
        record.byEpoch?.push(record.byEpoch[record.byEpoch.length - 1]);
  const full = built.filter((b) => b.cost === 1);
  const records = full.map((b) => b.record);
  const groups = uniqueGroups(records.map((r) => r.group));
  const config: ImportedConfig = {
    imported: {
      ...(options.source ?? {
        schema: LOSS_SCHEMA,
        version: input.version,
        files: input.sources.map((s) => s.file),
        sha256: sourcesHash(input.sources),
        rows: rows.length,
        sources: input.sources,
      }),
      metric: input.metric,
    },
    taskNames,
    splits,
    ...(epochs === undefined ? {} : { epochs }),
  };
  const journal: ImportedJournal = {
    header: importedHeader(config, createdAt, groups, records),
    records,
    costed: built.filter((b) => b.cost !== 1).map(({ cost, record }) => ({ cost, record })),
    ...(withExamples ? { examples: new Map(full.map((b) => [b.record.id, b.examples as number[][]])) } : {}),
    closedLoop,
  };
  return {
    journal,
    notes: {
      largerGroups: groups.filter((g) => g.length >= 3),
      missingSplits: (['validation', 'test'] as const).filter((s) => !splits.includes(s)),
    },
  };
}

/** Which files hold rows of these networks, for errors that span files. */
const filesOf = (networks: readonly ImportedNetwork[]): string =>
  [...new Set(networks.flatMap((n) => n.rows.map((r) => r.file)))].join(', ');

/**
 * The sweep's networks are complete: every single and pair trained (at full size) in every replication, and every
 * other network in every replication that trained any.
 */
function checkComplete(networks: ImportedNetwork[], taskNames: string[]): void {
  const name = (group: Group): string => `{${group.map((t) => taskNames[t]).join(', ')}}`;
  const pairwise = pairwiseGroups(taskNames.length);
  const fullSize = networks.filter((n) => n.cost === 1);
  const trained = new Set(fullSize.map((n) => groupKey(n.group)));
  const untrained = pairwise.filter((g) => !trained.has(groupKey(g)));
  if (untrained.length)
    throw new DataError(
      filesOf(networks),
      `not trained: ${untrained.map(name).join(' ')}; the affinity needs every task alone and every pair (${untrained.length} of ${pairwise.length} missing)${fullSize.length < networks.length ? ', at full size (cost 1)' : ''}`,
    );
  const byReplication = new Map<string, ImportedNetwork[]>();
  for (const n of networks) {
    const held = byReplication.get(n.replication);
    if (held) held.push(n);
    else byReplication.set(n.replication, [n]);
  }
  for (const [replication, held] of byReplication) {
    const keys = new Set(held.filter((n) => n.cost === 1).map((n) => groupKey(n.group)));
    const lacking = pairwise.filter((g) => !keys.has(groupKey(g)));
    if (lacking.length) {
      const others = filesOf(networks.filter((n) => n.replication !== replication));
      const first = held[0].rows[0];
      throw new DataError(
        first.file,
        `the network set has holes: replication ${replication} lacks ${lacking.slice(0, 6).map(name).join(' ')}${lacking.length > 6 ? ' …' : ''} (it holds ${pairwise.length - lacking.length} of the ${pairwise.length} singles and pairs${others === first.file ? '' : `; ${others} hold the other replications`}): every replication of the sweep needs them all; networks on fresh seeds that check a grouping are imported after \`tra group <folder> --validate\` has listed them`,
        first.line,
        'seed',
      );
    }
  }
  const replications = [...byReplication.keys()];
  const costedKey = (n: ImportedNetwork): string => `${groupKey(n.group)}@${n.cost}`;
  const present = new Set(networks.map((n) => `${n.replication}|${costedKey(n)}`));
  const costedGroups = new Map(networks.map((n) => [costedKey(n), n]));
  for (const network of costedGroups.values()) {
    const { group, cost, rows: first } = network;
    const absent = replications.filter((r) => !present.has(`${r}|${costedKey(network)}`));
    if (absent.length)
      throw new DataError(
        first[0].file,
        `the network set has holes: network ${name(group)}${cost === 1 ? '' : ` at cost ${cost}`} has no rows for replication(s) ${absent.join(', ')} (${filesOf(networks.filter((n) => absent.includes(n.replication)))}; other replications trained it)`,
        first[0].line,
        'network',
      );
  }
}

/** The tournaments compare networks example by example: every test row has as many per-example losses as the others of its replication. */
function checkExampleLengths(rows: LossRow[], first: LossRow, crossFitted: boolean): void {
  const lengthOf = new Map<string, LossRow>();
  for (const row of rows) {
    if (row.split !== 'test') continue;
    const fail = (problem: string): never => {
      throw new DataError(row.file, problem, row.line, 'examples');
    };
    const where = (other: LossRow): string =>
      other.file === row.file ? `line ${other.line}` : `${other.file}:${other.line}`;
    if (!row.examples) fail(`per-example losses on every test row or on none (${where(first)} has them)`);
    const replication = replicationKey({ seed: row.seed, fold: row.fold ?? 0 }, crossFitted);
    const other = lengthOf.get(replication);
    if (!other) lengthOf.set(replication, row);
    else if (other.examples?.length !== row.examples?.length)
      fail(
        `${row.examples?.length} per-example losses, but ${where(other)} of the same replication (${replication}) has ${other.examples?.length}: every network is scored on the same test examples, in the same order`,
      );
  }
}

export function importedHeader(
  config: ImportedConfig,
  createdAt: string,
  groups: Group[],
  records: NetworkRecord[],
): ImportedJournal['header'] {
  const seeds = [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b);
  const configHash = importedConfigHash(config);
  return { kind: 'header', version: 1, configHash, config, plan: { seeds, groups: SweepGroups.of(groups) }, createdAt };
}

/** A result file's network as long-format rows: its tasks' selected validation and test losses (line 1: the file). */
function resultRows({ file, result }: ResultInput): LossRow[] {
  const network = Object.keys(result.tasks);
  return Object.entries(result.tasks).flatMap(([task, losses]) =>
    (['validation', 'test'] as const).map((split) => ({
      file,
      line: 1,
      network,
      task,
      seed: result.seed,
      ...(result.fold === undefined ? {} : { fold: result.fold }),
      split,
      loss: losses[split],
      ...(split === 'test' && losses.examples ? { examples: losses.examples } : {}),
      ...(result.cost === undefined ? {} : { cost: result.cost }),
    })),
  );
}

/** A result file's network's record: its losses as the result contract turns them into a training command's record. */
function resultRecord(
  network: ImportedNetwork,
  { file, result }: ResultInput,
  taskNames: string[],
  crossFitted: boolean,
  epochs: number,
  finishedAt: string,
): { record: NetworkRecord; examples?: number[][] } {
  const { group, replication } = network;
  let losses: ResultLosses;
  try {
    losses = resultLosses(result, {
      tasks: group.map((t) => taskNames[t]),
      seed: network.seed,
      ...(crossFitted ? { fold: network.fold } : {}),
      epochs: Math.max(1, epochs),
    });
  } catch (error) {
    if (error instanceof ResultError) throw new DataError(file, error.message);
    throw error;
  }
  const { validationLoss, testLoss, bestEpoch, byEpoch, examples } = losses;
  return {
    record: {
      kind: 'network',
      id: networkId(replication, group),
      replication,
      seed: network.seed,
      fold: network.fold,
      group,
      testLoss,
      validationLoss,
      bestEpoch,
      ...(byEpoch ? { byEpoch } : {}),
      backend: 'imported',
      seconds: 0,
      finishedAt,
    },
    ...(examples ? { examples } : {}),
  };
}

/**
 * One network's record. With per-epoch rows its reported losses are those of the epoch with the lowest total
 * validation loss (PROTOCOL.md step 5, as the toolkit's own sweep selects), and byEpoch[e - 1] is what stopping after
 * e epochs would have reported; `examples` are the per-example test losses at the reported epoch.
 */
function networkRecord(
  network: ImportedNetwork,
  taskNames: string[],
  splits: readonly Split[],
  perEpoch: boolean,
  finishedAt: string,
): { record: NetworkRecord; examples?: number[][] } {
  const { group, rows, replication } = network;
  const id = networkId(replication, group);
  const at = new Map(rows.map((r) => [`${r.split}|${r.task}|${r.epoch ?? ''}`, r]));
  const epochs = perEpoch ? Math.max(...rows.map((r) => r.epoch as number)) : 0;
  const rowsOf = (split: Split, epoch?: number): LossRow[] =>
    group.map((t) => {
      const row = at.get(`${split}|${taskNames[t]}|${epoch ?? ''}`);
      if (row === undefined)
        throw new DataError(
          rows[0].file,
          `network ${groupKey(group)}${network.cost === 1 ? '' : ` at cost ${network.cost}`} of replication ${replication} lacks the ${split} loss of task ${taskNames[t]}${epoch === undefined ? '' : ` at epoch ${epoch} (per-epoch rows run 1..${epochs})`}`,
          rows[0].line,
        );
      return row;
    });
  const losses = (split: Split, epoch?: number): number[] => rowsOf(split, epoch).map((r) => r.loss);
  const examplesAt = (epoch?: number): number[][] | undefined => {
    const test = rowsOf('test', epoch);
    return test.every((r) => r.examples) ? test.map((r) => r.examples as number[]) : undefined;
  };
  const base = {
    kind: 'network' as const,
    id,
    replication,
    seed: network.seed,
    fold: network.fold,
    group,
    backend: 'imported',
    seconds: 0,
    finishedAt,
  };
  if (!perEpoch)
    return {
      record: {
        ...base,
        testLoss: losses('test'),
        validationLoss: splits.includes('validation') ? losses('validation') : [],
        bestEpoch: 0,
      },
      examples: examplesAt(),
    };
  if (!splits.includes('validation'))
    throw new DataError(
      rows[0].file,
      'per-epoch rows need validation losses: the reported epoch is chosen on them',
      rows[0].line,
      'epoch',
    );
  const byEpoch: EpochLosses[] = [];
  let best = { total: Infinity, epoch: 0, validation: [] as number[], test: [] as number[] };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const validation = losses('validation', epoch);
    const total = validation.reduce((s, l) => s + l, 0);
    if (total < best.total) best = { total, epoch, validation, test: losses('test', epoch) };
    else losses('test', epoch); // a missing test row is an error even at an epoch that was not selected
    byEpoch.push({ validation: best.validation, test: best.test });
  }
  return {
    record: { ...base, testLoss: best.test, validationLoss: best.validation, bestEpoch: best.epoch, byEpoch },
    examples: examplesAt(best.epoch),
  };
}

/**
 * Writes the journal-equivalent (and the closed loop's networks, when it has any, into their own journal). Nothing is
 * overwritten: a folder holding another journal is refused, unless it is an import of the very same source
 * (re-importing is idempotent) or `merged` says the journal holds everything the folder's did and more.
 */
export function writeImportedJournal(path: string, journal: ImportedJournal, options: { merged?: boolean } = {}): void {
  refuseLink(path);
  if (existsSync(path) && !options.merged) {
    const { header } = readJournal(path);
    if (header.configHash !== journal.header.configHash)
      throw new InputError(
        `${path} already holds other results; choose another --out folder or delete it to start over`,
      );
  }
  const write = (file: string, lines: unknown[]): void => {
    createFolder(dirname(file));
    writeFileAtomic(file, `${lines.map((e) => JSON.stringify(e)).join('\n')}\n`);
  };
  // The journal last: it is what makes the folder an import, so it never names files not yet written.
  if (journal.examples)
    write(examplesPathOf(path), [
      { kind: 'examples', configHash: journal.header.configHash },
      ...[...journal.examples].map(([id, losses]) => ({ id, losses })),
    ]);
  if (journal.closedLoop.length) {
    const { config, createdAt } = journal.header;
    const groups = uniqueGroups(journal.closedLoop.map((r) => r.group));
    write(closedLoopJournalPathOf(dirname(path)), [
      importedHeader(config, createdAt, groups, journal.closedLoop),
      ...journal.closedLoop,
    ]);
  }
  write(path, [journal.header, ...journal.records]);
}

/** Per-example test losses live beside the journal: the journal's records keep the shape of a sweep's. */
export const examplesPathOf = (journalPath: string): string => join(dirname(journalPath), 'imported-examples.jsonl');

/**
 * The per-example test losses of an imported journal's records, checked against the journal (its hash, every record
 * present, one list per task, one length per replication); undefined when the import had none.
 */
export function readImportedExamples(
  journalPath: string,
  configHash: string,
  records: Records,
): TestExamples | undefined {
  const path = examplesPathOf(journalPath);
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const bad = (line: number, problem: string): never => {
    throw new InputError(`${path}:${line}: ${problem}; import the losses again into a fresh folder`);
  };
  const parse = (text: string, line: number): Record<string, unknown> => {
    try {
      return JSON.parse(text);
    } catch {
      return bad(line, 'not JSON');
    }
  };
  if (parse(lines[0] ?? '{}', 1).configHash !== configHash)
    bad(1, `not the per-example losses of ${journalPath} (another configuration hash)`);
  const examples: TestExamples = new Map();
  const lengthOf = new Map<string, number>();
  lines.slice(1).forEach((text, k) => {
    const { id, losses } = parse(text, k + 2) as { id?: unknown; losses?: unknown };
    const record = typeof id === 'string' ? records.get(id) : undefined;
    if (!record) return bad(k + 2, `no network ${JSON.stringify(id)} in the journal`);
    const length =
      lengthOf.get(record.replication) ?? (Array.isArray(losses) && Array.isArray(losses[0]) ? losses[0].length : 0);
    lengthOf.set(record.replication, length);
    if (
      !Array.isArray(losses) ||
      losses.length !== record.group.length ||
      !losses.every((l) => Array.isArray(l) && l.length === length && l.every((x) => Number.isFinite(x) && x >= 0))
    )
      bad(k + 2, `network ${id}: expected ${record.group.length} lists of ${length} non-negative losses`);
    examples.set(id as string, losses as number[][]);
  });
  const absent = [...records.keys()].find((id) => !examples.has(id));
  if (absent) bad(lines.length, `network ${absent} has no per-example losses`);
  return examples;
}

/** Whether the folder's journal holds imported losses (read from its header line; false without a journal). */
export function isImportedFolder(dir: string): boolean {
  const path = journalPathOf(dir);
  if (!existsSync(path)) return false;
  const firstLine = journalFirstLine(path);
  try {
    return isImportedConfig((JSON.parse(firstLine) as { config?: unknown }).config);
  } catch {
    return false; // the journal's reader names the problem
  }
}

/**
 * Reads an imported journal back, checking what the analyses rely on; a sweep's journal is refused. Returns its
 * configuration, that configuration's hash (per-example losses and evidence are matched by it) and its records.
 */
export function readImportedJournal(path: string): {
  config: ImportedConfig;
  configHash: string;
  records: Records;
} {
  const { header, records } = readJournal(path);
  const config = header.config;
  if (!isImportedConfig(config))
    throw new InputError(`${path}: not an imported journal (a sweep's journal: use its analysis definition)`);
  const { taskNames } = config;
  if (!Array.isArray(taskNames) || taskNames.length < 2)
    throw new InputError(`${path}:1: an imported journal needs two or more task names`);
  let line = 1;
  for (const r of records.values()) {
    line++;
    const bad = (problem: string): never => {
      throw new InputError(`${path}:${line}: network ${r.id}: ${problem}`);
    };
    if (
      !Array.isArray(r.group) ||
      r.group.some((t, k) => !Number.isInteger(t) || t < 0 || t >= taskNames.length || (k > 0 && t <= r.group[k - 1]))
    )
      bad('tasks out of range or unsorted');
    if (!Array.isArray(r.testLoss) || r.testLoss.length !== r.group.length || r.testLoss.some((l) => !(l > 0)))
      bad('expected one positive test loss per task');
    const expected = config.splits.includes('validation') ? r.group.length : 0;
    if (
      !Array.isArray(r.validationLoss) ||
      r.validationLoss.length !== expected ||
      r.validationLoss.some((l) => !(l > 0))
    )
      bad(`expected ${expected} positive validation losses`);
    if (r.id !== networkId(r.replication, r.group)) bad('its id does not match its replication and tasks');
  }
  return { config, configHash: header.configHash, records };
}
