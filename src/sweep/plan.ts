import { seedsOf, SPLIT_OPTIONS } from '../options/split.js';
import { InputError } from '../data/errors.js';
import { taskIndexOf } from '../data/columns.js';
import { foldsOf, type SplitScheme } from '../data/split.js';

/** A group of tasks trained as one network, as sorted task indices. */
export type Group = number[];

/** Canonical key of a sorted group (`0+3`): the group part of a network id, and the key to look a group up by its task set. */
export const groupKey = (group: readonly number[]): string => group.join('+');

/** One replication of the whole sweep: a seed (split, initialisation, batch order) and, when cross-fitting, a fold. */
export interface Replication {
  seed: number;
  fold: number;
}

export const replicationKey = (r: Replication, crossFitted: boolean): string =>
  crossFitted ? `s${r.seed}f${r.fold}` : `s${r.seed}`;

/** Every replication of the given seeds under a split scheme, in order. */
export function replicationsOf(scheme: SplitScheme, seeds: number[]): (Replication & { key: string })[] {
  return seeds.flatMap((seed) =>
    foldsOf(scheme).map((fold) => ({ seed, fold, key: replicationKey({ seed, fold }, scheme.kind === 'kfold') })),
  );
}

/** Stable id of one trained network: the same replication and group always name the same result. */
export const networkId = (replication: string, group: Group): string => `${replication}/${groupKey(group)}`;

/**
 * The groups a sweep trains, found by index rather than held as arrays (the 500,500 groups of 1000 tasks were 35 MB as
 * arrays, live for the whole sweep): every task alone and every unordered pair of `tasks` tasks first (group k < T is
 * [k]; then the pairs (i, j), i < j, row by row: [0, 1], [0, 2], ..., [1, 2], ...), then the listed groups as given.
 * `SweepGroups.of` holds a list as it is; `SweepGroups.pairwise` is the Standley sweep plus any larger groups.
 */
export class SweepGroups implements Iterable<Group> {
  /** Groups before the listed ones: the singles and pairs of `tasks` tasks. */
  private readonly generated: number;

  private constructor(
    /** Tasks whose singles and pairs come first (0: none, only the listed groups). */
    readonly tasks: number,
    private readonly listed: readonly Group[],
  ) {
    this.generated = (tasks * (tasks + 1)) / 2;
  }

  /**
   * Every task alone and every pair of `tasks` tasks, then `extra`'s groups of three or more tasks without repeats (its
   * singles and pairs are among the first): the order of uniqueGroups over all of them.
   */
  static pairwise(tasks: number, extra: readonly Group[] = []): SweepGroups {
    return new SweepGroups(tasks, uniqueGroups(extra.filter((g) => g.length > 2)));
  }

  /** A list of groups, in its order. */
  static of(groups: readonly Group[]): SweepGroups {
    return new SweepGroups(0, groups);
  }

  /**
   * The groups a journal header's `plan.groups` describes (checked by its schema: sweep/record.ts), in its order. A list
   * that starts with every single then every pair (every journal before session 10) keeps only the groups after them.
   */
  static fromHeader(groups: HeaderGroups): SweepGroups {
    if (!Array.isArray(groups)) return new SweepGroups(groups.singlesAndPairs, groups.more ?? []);
    const tasks = singlesAndPairsBefore(groups);
    return tasks === 0 ? SweepGroups.of(groups) : new SweepGroups(tasks, groups.slice((tasks * (tasks + 1)) / 2));
  }

  get length(): number {
    return this.generated + this.listed.length;
  }

  /** Group k (0 <= k < length): a single or pair made anew, a listed group as listed. */
  at(k: number): Group {
    const T = this.tasks;
    if (k < T) return [k];
    if (k >= this.generated) return this.listed[k - this.generated];
    // pair number p: row i holds the T - 1 - i pairs (i, j > i); rows before i hold i * (2T - i - 1) / 2
    const p = k - T;
    let i = Math.floor((2 * T - 1 - Math.sqrt((2 * T - 1) ** 2 - 8 * p)) / 2);
    while (i > 0 && (i * (2 * T - i - 1)) / 2 > p) i--;
    while (((i + 1) * (2 * T - i - 2)) / 2 <= p) i++;
    return [i, i + 1 + p - (i * (2 * T - i - 1)) / 2];
  }

  *[Symbol.iterator](): Iterator<Group> {
    const T = this.tasks;
    for (let i = 0; i < T; i++) yield [i];
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) yield [i, j];
    yield* this.listed;
  }

  /** The groups `keep` accepts, in order, as a list (of those, not of the sweep's). */
  filter(keep: (group: Group, k: number) => boolean): Group[] {
    const kept: Group[] = [];
    let k = 0;
    for (const group of this) if (keep(group, k++)) kept.push(group);
    return kept;
  }

  /** How many groups `counts` accepts. */
  count(counts: (group: Group, k: number) => boolean): number {
    let n = 0;
    let k = 0;
    for (const group of this) if (counts(group, k++)) n++;
    return n;
  }

  /** These groups with `extra` (unique, in uniqueGroups's order); without any, these groups themselves. */
  with(extra: readonly Group[]): SweepGroups {
    if (extra.length === 0) return this;
    return this.tasks > 0
      ? SweepGroups.pairwise(this.tasks, [...this.listed, ...extra])
      : SweepGroups.of(uniqueGroups([...this.listed, ...extra]));
  }

  /**
   * The groups as a journal header's `plan.groups`: every single and pair of T tasks said in one field (`{
   * "singlesAndPairs": 1000 }`, 26 bytes where the 500,500 groups of 1000 tasks listed were 4.9 MB), then any further
   * groups listed (`more`); a list of groups (`SweepGroups.of`) listed as it is.
   */
  toJSON(): HeaderGroups {
    if (this.tasks < 2) return [...this];
    return this.listed.length === 0
      ? { singlesAndPairs: this.tasks }
      : { singlesAndPairs: this.tasks, more: [...this.listed] };
  }
}

/**
 * A journal header's `plan.groups` as written: a list of groups (every journal before session 10 listed its singles and
 * pairs too), or every single and pair of `singlesAndPairs` tasks (SweepGroups.pairwise's order), then `more`'s groups.
 */
export type HeaderGroups = Group[] | { singlesAndPairs: number; more?: Group[] };

/** T when `groups` starts with every single then every pair of T >= 2 tasks in SweepGroups.pairwise's order, else 0. */
function singlesAndPairsBefore(groups: readonly Group[]): number {
  let tasks = 0;
  while (tasks < groups.length && groups[tasks].length === 1 && groups[tasks][0] === tasks) tasks++;
  if (tasks < 2) return 0;
  let at = tasks;
  for (let i = 0; i < tasks; i++)
    for (let j = i + 1; j < tasks; j++, at++) {
      const group = groups[at];
      if (group?.length !== 2 || group[0] !== i || group[1] !== j) return 0;
    }
  return tasks;
}

/** Every task alone and every unordered pair, as a list: the Standley sweep (SweepGroups.pairwise's order). */
export const pairwiseGroups = (tasks: number): Group[] => [...SweepGroups.pairwise(tasks)];

/** Parses `a+b+c;d+e` (task names or 0-based indices) into groups. */
export function parseGroups(spec: string, taskNames: string[]): Group[] {
  return spec
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const group = part.split('+').map((token) => {
        const index = taskIndexOf(token, taskNames);
        if (index < 0)
          throw new InputError(
            `--groups: '${token.trim()}' is neither a task name nor a task index (0..${taskNames.length - 1})`,
          );
        return index;
      });
      const sorted = [...new Set(group)].sort((a, b) => a - b);
      if (sorted.length !== group.length) throw new InputError(`--groups: group '${part}' names a task twice`);
      return sorted;
    });
}

/**
 * Groups without repeats, in a stable order: by size, then task by task (the order of their keys compared with numeric
 * collation, as it was: that comparison took 20.3 s for the 500,500 groups of 1000 tasks, this one 3.6 s).
 */
export function uniqueGroups(groups: Group[]): Group[] {
  const byKey = new Map(groups.map((g) => [groupKey(g), g]));
  return [...byKey.values()].sort((a, b) => a.length - b.length || firstDifference(a, b));
}

/** The first task in which two groups of one size differ, as a comparison (0: the same tasks). */
function firstDifference(a: Group, b: Group): number {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] - b[k];
  return 0;
}

/** Parses a definition's or a flag's seeds: a count N (seeds 0..N-1) or a comma-separated list. */
export function parseSeeds(spec: string | number): number[] {
  const seeds = seedsOf(spec);
  if (seeds === undefined)
    throw new InputError(`--seeds '${String(spec).slice(0, 40)}' must be ${SPLIT_OPTIONS.seeds.kind.text}`);
  return seeds;
}
