import { groupKey } from '../sweep/plan.js';

/** One trained network: the tasks it was trained on and each one's measured loss (e.g. mean test loss over seeds). */
export interface GroupLoss {
  /** Sorted, distinct task indices. */
  group: number[];
  /** Per task of `group`, in the same order. */
  loss: number[];
}

/** Measured per-task losses of trained networks: singles, pairs, optionally larger groups. */
export interface LossTable {
  taskNames: string[];
  entries: GroupLoss[];
}

/**
 * Checks what the grouping code relies on and the sweep could get wrong: groups sorted, distinct and in range, one
 * finite loss per member, no group listed twice.
 */
export function validateLossTable(table: LossTable): void {
  const T = table.taskNames.length;
  // singles and pairs (nearly all of a sweep's table: 500,500 at 1000 tasks) are checked for repeats by index, not key
  const seenPair = new Uint8Array(T * T);
  const seen = new Set<string>();
  for (const { group, loss } of table.entries) {
    const where = (): string => `group [${group.join(', ')}]`;
    if (group.length === 0) throw new RangeError('empty group in loss table');
    if (loss.length !== group.length)
      throw new RangeError(`${where()}: ${loss.length} losses for ${group.length} tasks`);
    for (let k = 0; k < group.length; k++) {
      const task = group[k];
      if (!Number.isInteger(task) || task < 0 || task >= T)
        throw new RangeError(`${where()}: task ${task} out of range`);
      if (k > 0 && task <= group[k - 1]) throw new RangeError(`${where()}: tasks must be sorted and distinct`);
      if (!Number.isFinite(loss[k])) throw new RangeError(`${where()}: non-finite loss for task ${task}`);
    }
    let repeated: boolean;
    if (group.length <= 2) {
      const at = group[0] * T + (group[1] ?? group[0]);
      repeated = seenPair[at] === 1;
      seenPair[at] = 1;
    } else {
      const key = groupKey(group);
      repeated = seen.has(key);
      seen.add(key);
    }
    if (repeated) throw new RangeError(`${where()} listed twice`);
  }
}

/**
 * Looks up measured losses by group. Singles and pairs are found by their tasks' indices rather than a string key: the
 * pairwise approximation reads a pair per member of a group, and at 1000 tasks a table holds 500,500 pairs and a
 * dendrogram's clusters of up to 1000 tasks (a key per pair took ~20 s per table).
 */
export class LossLookup {
  /** Groups of three or more tasks by key. */
  private readonly byKey = new Map<string, GroupLoss>();
  /** singles[t] and pairs[a * T + b] (a < b): the entry's index in the table + 1; 0 where not measured. */
  private readonly singles: Int32Array;
  private readonly pairs: Int32Array;
  /** pairLoss[i * T + j]: task i's loss in the pair {i, j}, NaN where not measured (one read in the approximation's loop). */
  private readonly pairLoss: Float64Array;

  constructor(readonly table: LossTable) {
    validateLossTable(table);
    const T = table.taskNames.length;
    this.singles = new Int32Array(T);
    this.pairs = new Int32Array(T * T);
    this.pairLoss = new Float64Array(T * T).fill(NaN);
    table.entries.forEach((entry, k) => {
      const [a, b] = entry.group;
      if (entry.group.length === 1) this.singles[a] = k + 1;
      else if (entry.group.length === 2) {
        this.pairs[a * T + b] = k + 1;
        this.pairLoss[a * T + b] = entry.loss[0];
        this.pairLoss[b * T + a] = entry.loss[1];
      } else this.byKey.set(groupKey(entry.group), entry);
    });
  }

  get taskCount(): number {
    return this.table.taskNames.length;
  }

  /** Whether `task` indexes a task of the table (else the flat arrays would alias another task's cells). */
  private has(task: number): boolean {
    return Number.isInteger(task) && task >= 0 && task < this.taskCount;
  }

  entry(group: readonly number[]): GroupLoss | undefined {
    if (group.length > 2) return this.byKey.get(groupKey(group));
    if (!group.every((task) => this.has(task))) return undefined;
    const [a, b] = group;
    const k = group.length === 1 ? this.singles[a] : a < b ? this.pairs[a * this.taskCount + b] : 0;
    return k > 0 ? this.table.entries[k - 1] : undefined;
  }

  /** Task `task`'s measured loss in the network trained on `group`, or undefined when that network wasn't measured. */
  loss(task: number, group: readonly number[]): number | undefined {
    const entry = this.entry(group);
    if (entry === undefined) return undefined;
    const k = entry.group.indexOf(task);
    return k < 0 ? undefined : entry.loss[k];
  }

  /** The same, for groups the estimators cannot do without (singles, pairs). */
  required(task: number, group: readonly number[]): number {
    const value = this.loss(task, group);
    if (value === undefined) {
      const names = group.map((t) => this.table.taskNames[t] ?? String(t)).join(', ');
      throw new RangeError(
        `loss table lacks the network {${names}} needed for task ${this.table.taskNames[task] ?? task}`,
      );
    }
    return value;
  }

  /** required(task, the pair of `task` and `other`) without making the pair: the approximation's inner loop. */
  requiredPair(task: number, other: number): number {
    const value = this.has(task) && this.has(other) ? this.pairLoss[task * this.taskCount + other] : Number.NaN;
    return Number.isNaN(value) ? this.required(task, task < other ? [task, other] : [other, task]) : value;
  }
}

const lookups = new WeakMap<LossTable, LossLookup>();

/**
 * The lookup of `table`, made once per table (tables are not changed once made): scoring a curve asks it for every
 * budget and replication, and at 1000 tasks making one (validating and keying 500,500 groups) takes seconds.
 */
export function lossLookup(table: LossTable): LossLookup {
  let lookup = lookups.get(table);
  if (!lookup) {
    lookup = new LossLookup(table);
    lookups.set(table, lookup);
  }
  return lookup;
}
