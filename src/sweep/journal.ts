import { closeSync, existsSync, fstatSync, openSync, readSync, statSync, truncateSync, type Stats } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { dirname, join } from 'node:path';
import { InputError } from '../data/errors.js';
import { asFileSystemError } from '../io/errors.js';
import { appendDurable, createFolder, refuseLink, writeFileAtomic } from '../io/write.js';
import { configDifference, taskNamesOf, type SweepConfig } from './config.js';
import {
  checkJournalHeader,
  checkNetworkRecord,
  lossAtEpoch,
  sameResult,
  type JournalHeader,
  type NetworkRecord,
} from './record.js';
import { RecordStore } from './recordStore.js';

export type { JournalHeader, NetworkRecord } from './record.js';
export type { Records } from './recordStore.js';

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
    lossAtEpoch(record, epochs, 'test');
export const earlyValidationLossOf =
  (epochs: number): RecordLoss =>
  (record) =>
    lossAtEpoch(record, epochs, 'validation');

/** A journal's header as a sweep starts it (its creation time is added as it is written). */
export type NewJournalHeader = Omit<JournalHeader, 'createdAt'>;

/** A new journal's first line: the header with its creation time (the plan's groups as `SweepGroups.toJSON` says). */
const headerLine = (header: NewJournalHeader): string =>
  `${JSON.stringify({ ...header, createdAt: new Date().toISOString() })}\n`;

/**
 * An append-only JSON-lines file. It starts whole (its header written atomically); each append is fsynced before it
 * counts and a failed one (a full disk) is cut back, so the file holds only whole lines; a torn last line (a crash
 * mid-write) is ignored on reading and cut on resuming; a journal written with other settings is refused rather than
 * mixed.
 */
export class Journal {
  private constructor(
    readonly path: string,
    readonly records: RecordStore,
    readonly tornLine: boolean,
  ) {}

  /**
   * Opens the journal at `path` to append to, creating it with `header` when there is none. `earlier`: the same file as
   * this process read it just before (a sweep's check of its configuration), used instead of reading it again while
   * the file is unchanged (a 1000-task sweep of 2 seeds is 389 MB of JSON: 10 s of CPU per read). Its records become
   * the journal's own, which appends add to.
   */
  static open(path: string, header: NewJournalHeader, earlier?: JournalRead): Journal {
    refuseLink(path); // before any training, rather than at the first append
    if (!existsSync(path)) {
      createFolder(dirname(path));
      writeFileAtomic(path, headerLine(header));
      return new Journal(path, new RecordStore(taskCountOf(header.config)), false);
    }
    const {
      header: found,
      records,
      tornLine,
      completeBytes,
    } = earlier && unchangedSince(path, earlier) ? earlier : readJournal(path);
    if (found.configHash !== header.configHash && records.size === 0) {
      // A journal without results (a run stopped before its first network) holds nothing a new configuration could lose.
      writeFileAtomic(path, headerLine(header));
      return new Journal(path, new RecordStore(taskCountOf(header.config)), false);
    }
    if (found.configHash !== header.configHash)
      throw new InputError(
        `${path} holds results of a different configuration (${configDifference(found.config, header.config)}: hash ${found.configHash.slice(0, 12)} vs ${header.configHash.slice(0, 12)}); ` +
          'choose another output folder or delete the journal to start over',
      );
    // Appending after a torn line would glue the next record onto it.
    if (tornLine)
      try {
        truncateSync(path, completeBytes);
      } catch (error) {
        throw asFileSystemError(error, path);
      }
    return new Journal(path, records, tornLine);
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  append(records: NetworkRecord[]): void {
    const fresh = records.filter((r) => !this.records.has(r.id));
    appendLines(this.path, fresh);
    for (const r of fresh) this.records.add(r);
  }
}

/** A journal as read: its header, its records, whether its last line was torn, and the file it was read from. */
export interface JournalRead {
  header: JournalHeader;
  records: RecordStore;
  tornLine: boolean;
  /** Bytes up to the last newline. */
  completeBytes: number;
  /** The file as read (absent when it changed while being read): a later open uses this read while the file is unchanged. */
  stamp?: FileStamp;
}

/**
 * Reads a journal, checking every line against the record formats (sweep/record.ts): a malformed line, a loss that is
 * missing, null, negative or not finite, a header whose configuration does not match its hash, or two different
 * results for one network are errors naming file:line. Only a torn last line (a crash mid-write) is skipped.
 */
export function readJournal(path: string): JournalRead {
  // no map from network to line (500,500 entries at 1000 tasks): the rare message that needs a line reads it again
  let records: RecordStore | undefined;
  let header: JournalHeader | undefined;
  let taskCount = Number.POSITIVE_INFINITY;
  let tornLine = false;
  const { completeBytes, stamp } = readLines(path, (line, index, last) => {
    if (line.trim() === '') return;
    const where = `${path}:${index + 1}`;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      if (last) {
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
      taskCount = taskCountOf(header.config);
      records = new RecordStore(taskCount);
      return;
    }
    if (!records) return; // no header: refused below
    const checked = checkNetworkRecord(entry);
    if (!checked.ok) throw new InputError(`${where}: bad network record: ${checked.problem}`);
    const record = checked.value;
    const seen = records.get(record.id);
    if (seen && !sameResult(seen, record))
      throw new InputError(
        `${where}: network ${record.id} has a different result than on line ${firstLineOf(path, record.id)} (${record.testLoss} vs ${seen.testLoss}); remove the wrong line`,
      );
    if (seen) return;
    if (record.group.some((task) => task >= taskCount))
      throw new InputError(
        `${where}: network ${record.id} names task ${Math.max(...record.group)}, but the header has ${taskCount} tasks`,
      );
    records.add(record);
  });
  if (!header || !records) throw new InputError(`${path}: empty journal (no header line)`);
  return { header, records, tornLine, completeBytes, stamp };
}

/** How many tasks a journal's networks draw on (an imported journal, src/sweep/imported.ts, names them at the top). */
const taskCountOf = (config: JournalHeader['config']): number => taskNamesOf(config as SweepConfig).length;

/** The 1-based line of the first record of network `id` (for a message: the journal is read again up to it). */
function firstLineOf(path: string, id: string): number | undefined {
  let found: number | undefined;
  const quoted = JSON.stringify(id);
  readLines(path, (line, index) => {
    if (found !== undefined || index === 0 || !line.includes(quoted)) return;
    try {
      if ((JSON.parse(line) as { id?: unknown }).id === id) found = index + 1;
    } catch {
      // a torn last line: not the record sought
    }
  });
  return found;
}

/** A journal's first line (its header), read without the rest of the file. */
export function journalFirstLine(path: string): string {
  const fd = openJournal(path);
  const buffer = Buffer.alloc(64 * 1024);
  const chunks: Buffer[] = [];
  try {
    for (;;) {
      const read = readChunk(fd, buffer, path);
      if (read === 0) break;
      const newline = buffer.subarray(0, read).indexOf(10);
      chunks.push(Buffer.from(buffer.subarray(0, newline < 0 ? read : newline)));
      if (newline >= 0) break;
    }
  } finally {
    closeSync(fd);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const cannotRead = (path: string, error: unknown): InputError =>
  new InputError(`cannot read journal ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);

function openJournal(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw cannotRead(path, error);
  }
}

/** Reads the next bytes of `fd` into `buffer` (a folder opens, but refuses to be read: EISDIR). */
function readChunk(fd: number, buffer: Buffer, path: string): number {
  try {
    return readSync(fd, buffer, 0, buffer.length, null);
  } catch (error) {
    throw cannotRead(path, error);
  }
}

/** Bytes read at a time: a journal of hundreds of MB (a 1000-task sweep) is never held as one string. */
const CHUNK_BYTES = 1 << 20;

/**
 * Calls `each` for every line of the file in order, reading it a chunk at a time; `last` marks a final line without
 * its newline (a torn write). Returns the bytes up to the last newline. A file that cannot be read is an InputError.
 */
function readLines(
  path: string,
  each: (line: string, index: number, last: boolean) => void,
): { completeBytes: number; stamp?: FileStamp } {
  const fd = openJournal(path);
  const buffer = Buffer.alloc(CHUNK_BYTES);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let index = 0;
  let completeBytes = 0;
  let stamp: FileStamp | undefined;
  let total = 0;
  try {
    stamp = stampOf(fstatSync(fd));
    for (;;) {
      const read = readChunk(fd, buffer, path);
      if (read === 0) break;
      total += read;
      pending += decoder.write(buffer.subarray(0, read));
      let start = 0;
      for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n', start)) {
        each(pending.slice(start, newline), index++, false);
        start = newline + 1;
      }
      completeBytes += Buffer.byteLength(pending.slice(0, start));
      pending = pending.slice(start);
    }
    pending += decoder.end();
    // the stamp names the bytes read only when the file neither grew nor changed while they were read
    if (!(total === stamp.size && sameStamp(stampOf(fstatSync(fd)), stamp))) stamp = undefined;
  } finally {
    closeSync(fd);
  }
  if (pending !== '') each(pending, index, true);
  return { completeBytes, stamp };
}

/** A file's identity and state as read: appends change its size and modification time. */
interface FileStamp {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

const stampOf = ({ dev, ino, size, mtimeMs }: Stats): FileStamp => ({ dev, ino, size, mtimeMs });

const sameStamp = (a: FileStamp, b: FileStamp): boolean =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** Whether the file at `path` is still the one `read` read, unchanged since. */
function unchangedSince(path: string, read: JournalRead): boolean {
  if (!read.stamp) return false;
  try {
    return sameStamp(stampOf(statSync(path)), read.stamp);
  } catch {
    return false;
  }
}

function appendLines(path: string, entries: unknown[]): void {
  if (entries.length > 0) appendDurable(path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}
