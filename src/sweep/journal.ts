import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../data/errors.js';
import type { Group } from './plan.js';
import type { EpochLosses } from '../engine/train.js';

/** First line of a journal: what every result in it was computed from. */
export interface JournalHeader {
  kind: 'header';
  version: 1;
  configHash: string;
  config: unknown;
  /** Not part of the hash: a description of the data for reports. */
  dataSummary?: unknown;
  /** Not part of the hash: what the sweep set out to train, so that a merge can tell what is missing. */
  plan?: { seeds: number[]; groups: Group[] };
  createdAt: string;
}

/** One trained network's outcome; the journal is the source of truth for every later analysis. */
export interface NetworkRecord {
  kind: 'network';
  id: string;
  replication: string;
  seed: number;
  fold: number;
  group: Group;
  testLoss: number[];
  validationLoss: number[];
  bestEpoch: number;
  /** See NetworkOutcome.byEpoch; absent in journals written before it was recorded. */
  byEpoch?: EpochLosses[];
  backend: string;
  /** Wall seconds of the fused batch this network was trained in, divided by the batch's network count. */
  seconds: number;
  finishedAt: string;
}

/** Which of a record's loss vectors a table is built from: test for scoring, validation for choosing. */
export type RecordLoss = (record: NetworkRecord) => number[] | undefined;

export const testLossOf: RecordLoss = (record) => record.testLoss;
export const validationLossOf: RecordLoss = (record) => record.validationLoss;
/** The losses that training for only `epochs` epochs would have reported (undefined in journals without them). */
export const earlyTestLossOf = (epochs: number): RecordLoss => (record) => record.byEpoch?.[epochs - 1]?.test;
export const earlyValidationLossOf = (epochs: number): RecordLoss => (record) => record.byEpoch?.[epochs - 1]?.validation;

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
    if (found.configHash !== header.configHash)
      throw new InputError(
        `${path} holds results of a different configuration (data or settings changed: hash ${found.configHash.slice(0, 12)} vs ${header.configHash.slice(0, 12)}); ` +
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

export function readJournal(path: string): { header: JournalHeader; records: Map<string, NetworkRecord>; tornLine: boolean; completeBytes: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read journal ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  const records = new Map<string, NetworkRecord>();
  let header: JournalHeader | undefined;
  let tornLine = false;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let entry: JournalHeader | NetworkRecord;
    try {
      entry = JSON.parse(line);
    } catch {
      if (index === lines.length - 1 && !complete) {
        tornLine = true;
        return;
      }
      throw new InputError(`${path}:${index + 1}: corrupt journal line (not JSON)`);
    }
    if (index === 0) {
      if (entry.kind !== 'header') throw new InputError(`${path}:1: not a sweep journal (no header line)`);
      header = entry;
    } else if (entry.kind === 'network' && !records.has(entry.id)) records.set(entry.id, entry);
  });
  if (!header) throw new InputError(`${path}: empty journal (no header line)`);
  const completeBytes = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1));
  return { header, records, tornLine, completeBytes };
}

function appendLines(path: string, entries: unknown[]): void {
  if (entries.length === 0) return;
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, entries.map((e) => JSON.stringify(e) + '\n').join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
