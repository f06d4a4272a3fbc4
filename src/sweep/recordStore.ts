import { networkId, type Group } from './plan.js';
import type { NetworkRecord } from './record.js';

/** A journal's records by network id, as every analysis reads them. */
export type Records = ReadonlyMap<string, NetworkRecord>;

/** The fields of a record the columns hold, in the order a sweep writes them (perEpoch only when it ran per epoch). */
const COMPACT_KEYS = [
  'kind',
  'id',
  'replication',
  'seed',
  'fold',
  'group',
  'testLoss',
  'validationLoss',
  'bestEpoch',
  'backend',
  'seconds',
  'finishedAt',
].join();
const COMPACT_KEYS_PER_EPOCH = COMPACT_KEYS.replace('bestEpoch', 'bestEpoch,perEpoch');

/** The record of `group` in `replication`: in a store (or a view of one) found by its tasks, without spelling and parsing its id. */
export const recordOf = (records: Records, replication: string, group: Group): NetworkRecord | undefined =>
  records instanceof RecordStore || records instanceof RecordView
    ? records.find(replication, group)
    : records.get(networkId(replication, group));

/** The seeds the records were trained on, ascending. */
export const seedsOf = (records: Records): number[] =>
  [...new Set(Array.from(records.values(), (r) => r.seed))].sort((a, b) => a - b);

/** The replications the records belong to, in the order they first appear. */
export const replicationKeysOf = (records: Records): string[] => [
  ...new Set(Array.from(records.values(), (r) => r.replication)),
];

/**
 * The records `keep` accepts, in their order, read through `records` whenever asked for: a view, never a copy (a
 * 1000-task seed's 500,500 records gathered as objects were 345 MB; a store holds them in 77 MB).
 */
export const recordsWhere = (records: Records, keep: (record: NetworkRecord) => boolean): Records =>
  new RecordView(records, keep);

class RecordView implements Records {
  private counted: number | undefined;
  constructor(
    private readonly records: Records,
    private readonly keep: (record: NetworkRecord) => boolean,
  ) {}

  get size(): number {
    if (this.counted === undefined) {
      let n = 0;
      for (const record of this.records.values()) if (this.keep(record)) n++;
      this.counted = n;
    }
    return this.counted;
  }

  private kept(record: NetworkRecord | undefined): NetworkRecord | undefined {
    return record && this.keep(record) ? record : undefined;
  }

  get(id: string): NetworkRecord | undefined {
    return this.kept(this.records.get(id));
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  find(replication: string, group: Group): NetworkRecord | undefined {
    return this.kept(recordOf(this.records, replication, group));
  }

  *entries(): MapIterator<[string, NetworkRecord]> {
    for (const [id, record] of this.records) if (this.keep(record)) yield [id, record];
  }

  *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<NetworkRecord> {
    for (const [, record] of this.entries()) yield record;
  }

  [Symbol.iterator](): MapIterator<[string, NetworkRecord]> {
    return this.entries();
  }

  forEach(each: (record: NetworkRecord, id: string, map: Records) => void): void {
    for (const [id, record] of this.entries()) each(record, id, this);
  }
}

/** Elements per chunk of a column: a column grows a chunk at a time, with no copy and at most one chunk unused. */
const CHUNK = 1 << 14;

/** A column of the store: typed-array chunks. */
class Column<A extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  private readonly chunks: A[] = [];
  constructor(private readonly chunk: (size: number) => A) {}

  push(value: number): void {
    if (this.length === this.chunks.length * CHUNK) this.chunks.push(this.chunk(CHUNK));
    this.chunks[Math.floor(this.length / CHUNK)][this.length % CHUNK] = value;
    this.length++;
  }

  /** Appends at most CHUNK values within one chunk (the rest of a chunk they do not fit is skipped); returns where. */
  pushRun(values: ArrayLike<number>): number {
    if (values.length > this.chunks.length * CHUNK - this.length) this.length = this.chunks.length * CHUNK;
    const start = this.length;
    for (let k = 0; k < values.length; k++) this.push(values[k]);
    return start;
  }

  at(index: number): number {
    return this.chunks[Math.floor(index / CHUNK)][index % CHUNK];
  }

  /** The `length` values from `start` (a run pushRun appended) as numbers, read in place (no view made per record). */
  numbers(start: number, length: number): number[] {
    const chunk = this.chunks[Math.floor(start / CHUNK)];
    const values = new Array<number>(length);
    for (let k = 0, at = start % CHUNK; k < length; k++) values[k] = chunk[at + k];
    return values;
  }

  /** The `length` values from `start` (a run pushRun appended). */
  run(start: number, length: number): A {
    if (length === 0) return this.chunk(0);
    const at = start % CHUNK;
    return this.chunks[Math.floor(start / CHUNK)].subarray(at, at + length) as A;
  }
}

const int32s = (): Column<Int32Array> => new Column((n) => new Int32Array(n));
const float64s = (): Column<Float64Array> => new Column((n) => new Float64Array(n));
const bytes = (): Column<Uint8Array> => new Column((n) => new Uint8Array(n));

/** Whether a number is held exactly by an int32 column. */
const isInt32 = (value: number): boolean => (value | 0) === value;

/** Strings that repeat (a batch's finishedAt, the backend, a replication's key) held once, by number. */
class Interned<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();
  of(key: string, value: T): number {
    let k = this.index.get(key);
    if (k === undefined) {
      k = this.values.push(value) - 1;
      this.index.set(key, k);
    }
    return k;
  }
}

interface Replication {
  key: string;
  seed: number;
  fold: number;
}

/**
 * A journal's records held as columns of typed arrays rather than as objects: a network of a sweep costs about a
 * fifth of its record object's memory (issue 32: a 1000-task seed's 500,500 records, 5 epochs, were 345 MB of heap as
 * objects and are 77 MB here), and a record is rebuilt, equal to the one read or appended, when it is asked for. A record with anything the
 * columns do not hold (per-epoch losses in full, per-example losses, a cost, a field of a newer version, fields in
 * another order) is kept whole. Singles and pairs are found through one array per replication indexed by the pair
 * (half a matrix of int32: 2 MB at 1000 tasks), larger groups through their id. Iteration is in the order of adding,
 * as a Map's.
 */
export class RecordStore implements Records {
  private readonly replications = new Interned<Replication>();
  private readonly strings = new Interned<string>();
  /** Per row: its replication (-1: the record is kept whole, in `whole`). */
  private readonly replicationOf = int32s();
  /** Per row: its group's size, and where its tasks and their losses start in the three pools. */
  private readonly groupSize = int32s();
  private readonly start = int32s();
  private readonly tasks = int32s();
  private readonly testLoss = float64s();
  private readonly validationLoss = float64s();
  private readonly bestEpoch = int32s();
  /** Per row: the epochs run (0: no per-epoch losses), and its earlier selections' bytes in `earlier`. */
  private readonly epochs = int32s();
  private readonly earlierStart = int32s();
  private readonly earlierLength = int32s();
  private readonly earlier = bytes();
  private readonly backend = int32s();
  private readonly seconds = float64s();
  private readonly finishedAt = int32s();
  private readonly whole = new Map<number, NetworkRecord>();
  /** Per replication key: row + 1 of each single and pair (0: none), at pairIndex. */
  private readonly pairRows = new Map<string, Int32Array>();
  private readonly otherRows = new Map<string, number>();

  constructor(private readonly taskCount: number) {}

  get size(): number {
    return this.replicationOf.length;
  }

  /** Adds a record the store does not hold yet (its id is not checked again). */
  add(record: NetworkRecord): void {
    const row = this.size;
    const earlierBytes = record.perEpoch && Buffer.from(record.perEpoch.earlier, 'base64');
    const compact =
      Object.keys(record).join() === (record.perEpoch ? COMPACT_KEYS_PER_EPOCH : COMPACT_KEYS) &&
      (!record.perEpoch ||
        (Object.keys(record.perEpoch).join() === 'epochs,earlier' &&
          earlierBytes?.toString('base64') === record.perEpoch.earlier &&
          earlierBytes.length <= CHUNK &&
          isInt32(record.perEpoch.epochs))) &&
      record.group.length <= CHUNK &&
      record.group.every((task) => task < this.taskCount && isInt32(task)) &&
      record.validationLoss.length === record.group.length &&
      isInt32(record.bestEpoch);
    if (compact) {
      const { replication, seed, fold } = record;
      this.replicationOf.push(
        this.replications.of(`${replication}\n${seed}\n${fold}`, { key: replication, seed, fold }),
      );
      this.groupSize.push(record.group.length);
      this.start.push(this.tasks.pushRun(record.group));
      this.testLoss.pushRun(record.testLoss);
      this.validationLoss.pushRun(record.validationLoss);
      this.bestEpoch.push(record.bestEpoch);
      this.epochs.push(record.perEpoch?.epochs ?? 0);
      this.earlierStart.push(this.earlier.pushRun(earlierBytes ?? []));
      this.earlierLength.push(earlierBytes?.length ?? 0);
      this.backend.push(this.strings.of(record.backend, record.backend));
      this.seconds.push(record.seconds);
      this.finishedAt.push(this.strings.of(record.finishedAt, record.finishedAt));
    } else {
      this.replicationOf.push(-1);
      // the other columns keep a row for it, so that a row's number is its place in every column
      for (const column of [
        this.groupSize,
        this.start,
        this.bestEpoch,
        this.epochs,
        this.earlierStart,
        this.earlierLength,
        this.backend,
        this.seconds,
        this.finishedAt,
      ])
        column.push(0);
      this.whole.set(row, record);
    }
    if (this.isPair(record.group)) this.pairRowsOf(record.replication)[this.pairIndex(record.group)] = row + 1;
    else this.otherRows.set(record.id, row);
  }

  get(id: string): NetworkRecord | undefined {
    const row = this.rowOf(id);
    return row === undefined ? undefined : this.recordAt(row);
  }

  has(id: string): boolean {
    return this.rowOf(id) !== undefined;
  }

  /** The record of `group` in `replication` (what get(networkId(replication, group)) returns, without the id). */
  find(replication: string, group: Group): NetworkRecord | undefined {
    const row = this.findRow(replication, group);
    return row === undefined ? undefined : this.recordAt(row);
  }

  *entries(): MapIterator<[string, NetworkRecord]> {
    for (let row = 0; row < this.size; row++) {
      const record = this.recordAt(row);
      yield [record.id, record];
    }
  }

  *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<NetworkRecord> {
    for (let row = 0; row < this.size; row++) yield this.recordAt(row);
  }

  [Symbol.iterator](): MapIterator<[string, NetworkRecord]> {
    return this.entries();
  }

  forEach(each: (record: NetworkRecord, id: string, map: Records) => void): void {
    for (const [id, record] of this.entries()) each(record, id, this);
  }

  /** Where a single ([a]) or pair ([a, b], a < b) is in its replication's half matrix. */
  private pairIndex(group: Group): number {
    const [a, b = a] = group;
    return a * this.taskCount - (a * (a - 1)) / 2 + (b - a);
  }

  /** Whether a group is found through its replication's half matrix: a single or pair of the journal's tasks. */
  private isPair(group: Group): boolean {
    const inRange = (task: number): boolean => Number.isInteger(task) && task >= 0 && task < this.taskCount;
    return group.length <= 2 && group.every(inRange) && (group.length === 1 || group[0] < group[1]);
  }

  private pairRowsOf(replication: string): Int32Array {
    let rows = this.pairRows.get(replication);
    if (!rows) {
      rows = new Int32Array((this.taskCount * (this.taskCount + 1)) / 2);
      this.pairRows.set(replication, rows);
    }
    return rows;
  }

  private findRow(replication: string, group: Group): number | undefined {
    if (!this.isPair(group)) return this.otherRows.get(networkId(replication, group));
    const row = (this.pairRows.get(replication)?.[this.pairIndex(group)] ?? 0) - 1;
    return row >= 0 ? row : undefined;
  }

  private rowOf(id: string): number | undefined {
    const slash = id.lastIndexOf('/');
    const replication = id.slice(0, slash);
    const group = id
      .slice(slash + 1)
      .split('+')
      .map(Number);
    // only an id in its canonical spelling names a network (`s0/01` does not name `s0/1`)
    return slash >= 0 && networkId(replication, group) === id ? this.findRow(replication, group) : undefined;
  }

  private recordAt(row: number): NetworkRecord {
    const kept = this.whole.get(row);
    if (kept) return kept;
    const { key, seed, fold } = this.replications.values[this.replicationOf.at(row)];
    const start = this.start.at(row);
    const size = this.groupSize.at(row);
    const group = this.tasks.numbers(start, size);
    const epochs = this.epochs.at(row);
    const earlier = this.earlier.run(this.earlierStart.at(row), this.earlierLength.at(row));
    const record: NetworkRecord = {
      kind: 'network',
      id: networkId(key, group),
      replication: key,
      seed,
      fold,
      group,
      testLoss: this.testLoss.numbers(start, size),
      validationLoss: this.validationLoss.numbers(start, size),
      bestEpoch: this.bestEpoch.at(row),
      // encoded here, not in a getter: an object literal with a getter gets a hidden class of its own, which V8 makes in
      // the old heap (500,500 records read once: 33 MB of garbage there, and slower than encoding the few bytes)
      perEpoch: { epochs, earlier: Buffer.from(earlier.buffer, earlier.byteOffset, earlier.length).toString('base64') },
      backend: this.strings.values[this.backend.at(row)],
      seconds: this.seconds.at(row),
      finishedAt: this.strings.values[this.finishedAt.at(row)],
    };
    if (epochs === 0) delete record.perEpoch;
    return record;
  }
}
