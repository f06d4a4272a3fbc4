import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../data/errors.js';
import { configDifference, type SweepConfig } from './config.js';
import {
  checkJournalHeader,
  checkNetworkRecord,
  sameResult,
  type JournalHeader,
  type NetworkRecord,
} from './record.js';

export type { JournalHeader, NetworkRecord } from './record.js';

/** A sweep's (or an import's) journal in its output folder. */
export const journalPathOf = (outDir: string): string => join(outDir, 'journal.jsonl');

/** The closed loop's networks (a grouping and its baselines on fresh seeds) live in a journal of their own. */
export const closedLoopJournalPathOf = (outDir: string): string => join(outDir, 'closed-loop', 'journal.jsonl');

/** Which of a record's loss vectors a table is built from: test for scoring, validation for choosing. */
export type RecordLoss = (record: NetworkRecord) => number[] | undefined;

export const testLossOf: RecordLoss = (record) => record.testLoss;
export const validationLossOf: RecordLoss = (record) => record.validationLoss;
/** The losses that training for only `epochs` epochs would have reported (undefined in journals without them). */
export const earlyTestLossOf =
  (epochs: number): RecordLoss =>
  (record) =>
    record.byEpoch?.[epochs - 1]?.test;
export const earlyValidationLossOf =
  (epochs: number): RecordLoss =>
  (record) =>
    record.byEpoch?.[epochs - 1]?.validation;

/**
 * An append-only JSON-lines file. Each append is fsynced before it counts; a torn last line (a crash mid-write) is
 * ignored; a journal written with other settings is refused rather than mixed.
 */
export class Journal {
  private constructor(
    readonly path: string,
    readonly records: Map<string, NetworkRecord>,
    readonly tornLine: boolean,
  ) {}

  static open(path: string, header: Omit<JournalHeader, 'createdAt'>): Journal {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      appendLines(path, [{ ...header, createdAt: new Date().toISOString() }]);
      return new Journal(path, new Map(), false);
    }
    const { header: found, records, tornLine, completeBytes } = readJournal(path);
    if (found.configHash !== header.configHash && records.size === 0) {
      // A journal without results (a run stopped before its first network) holds nothing a new configuration could lose.
      writeFileSync(path, `${JSON.stringify({ ...header, createdAt: new Date().toISOString() })}\n`);
      return new Journal(path, new Map(), false);
    }
    if (found.configHash !== header.configHash)
      throw new InputError(
        `${path} holds results of a different configuration (${configDifference(found.config, header.config)}: hash ${found.configHash.slice(0, 12)} vs ${header.configHash.slice(0, 12)}); ` +
          'choose another output folder or delete the journal to start over',
      );
    // Appending after a torn line would glue the next record onto it.
    if (tornLine) truncateSync(path, completeBytes);
    return new Journal(path, records, tornLine);
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  append(records: NetworkRecord[]): void {
    const fresh = records.filter((r) => !this.records.has(r.id));
    appendLines(this.path, fresh);
    for (const r of fresh) this.records.set(r.id, r);
  }
}

/**
 * Reads a journal, checking every line against the record formats (sweep/record.ts): a malformed line, a loss that is
 * missing, null, negative or not finite, a header whose configuration does not match its hash, or two different
 * results for one network are errors naming file:line. Only a torn last line (a crash mid-write) is skipped.
 */
export function readJournal(path: string): {
  header: JournalHeader;
  records: Map<string, NetworkRecord>;
  tornLine: boolean;
  completeBytes: number;
} {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read journal ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  const records = new Map<string, NetworkRecord>();
  const lineOf = new Map<string, number>();
  let header: JournalHeader | undefined;
  let tornLine = false;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${path}:${index + 1}`;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      if (index === lines.length - 1 && !complete) {
        tornLine = true;
        return;
      }
      throw new InputError(`${where}: corrupt journal line (not JSON)`);
    }
    if (index === 0) {
      if ((entry as { kind?: unknown } | null)?.kind !== 'header')
        throw new InputError(`${where}: not a sweep journal (no header line)`);
      const checked = checkJournalHeader(entry);
      if (!checked.ok) throw new InputError(`${where}: bad journal header: ${checked.problem}`);
      header = checked.value;
      return;
    }
    const checked = checkNetworkRecord(entry);
    if (!checked.ok) throw new InputError(`${where}: bad network record: ${checked.problem}`);
    const record = checked.value;
    const seen = records.get(record.id);
    if (seen && !sameResult(seen, record))
      throw new InputError(
        `${where}: network ${record.id} has a different result than on line ${lineOf.get(record.id)} (${record.testLoss} vs ${seen.testLoss}); remove the wrong line`,
      );
    if (!seen) {
      records.set(record.id, record);
      lineOf.set(record.id, index + 1);
    }
  });
  if (!header) throw new InputError(`${path}: empty journal (no header line)`);
  // an imported journal (src/sweep/imported.ts) names its tasks at the top of its configuration
  const config = header.config as SweepConfig | { taskNames: string[] };
  const taskCount = ('data' in config ? config.data.taskNames : config.taskNames).length;
  for (const [id, record] of records)
    if (record.group.some((task) => task >= taskCount))
      throw new InputError(
        `${path}:${lineOf.get(id)}: network ${id} names task ${Math.max(...record.group)}, but the header has ${taskCount} tasks`,
      );
  const completeBytes = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1));
  return { header, records, tornLine, completeBytes };
}

function appendLines(path: string, entries: unknown[]): void {
  if (entries.length === 0) return;
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
