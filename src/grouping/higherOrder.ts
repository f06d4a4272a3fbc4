import { combinations } from '../math/combinations.js';
import { groupKey } from '../sweep/plan.js';
import { LossLookup, type GroupLoss, type LossTable } from './lossTable.js';

/**
 * Standley et al.'s higher-order approximation: task i's loss in group G is the mean of its losses in the pairs
 * {i, j}, j in G \ {i}; a single is its own measurement. Lets selection consider groups nobody trained.
 */
export function approximateTaskLoss(lookup: LossLookup, task: number, group: readonly number[]): number {
  if (!group.includes(task)) throw new RangeError(`task ${task} is not in group [${group.join(', ')}]`);
  if (group.length === 1) return lookup.required(task, group);
  let sum = 0;
  for (const other of group)
    if (other !== task) sum += lookup.required(task, task < other ? [task, other] : [other, task]);
  return sum / (group.length - 1);
}

export const approximateGroupLoss = (lookup: LossLookup, group: readonly number[]): number[] =>
  group.map((task) => approximateTaskLoss(lookup, task, group));

/** The measured loss where the network was trained, else the pairwise approximation. */
export const taskLossIn = (lookup: LossLookup, task: number, group: readonly number[]): number =>
  lookup.loss(task, group) ?? approximateTaskLoss(lookup, task, group);

/** A table entry that says whether its losses were measured or approximated from pairs. */
export interface CompletedGroupLoss extends GroupLoss {
  estimated: boolean;
}

export interface CompletedLossTable extends LossTable {
  entries: CompletedGroupLoss[];
}

/**
 * Every group of 1..maxSize tasks, measured where the table has it and approximated from pairs otherwise (so singles
 * and pairs must all be measured). Measured entries larger than maxSize are kept too: they are real candidates; so are
 * `extraGroups` of any size (e.g. the clusters of a dendrogram, so that every budget has a feasible answer).
 * Ordered by size, then lexicographically.
 */
export function completeLossTable(
  table: LossTable,
  maxSize: number,
  extraGroups: readonly number[][] = [],
): CompletedLossTable {
  const lookup = new LossLookup(table);
  const size = Math.min(maxSize, lookup.taskCount);
  const pairs = new PairLosses(table);
  const entries: CompletedGroupLoss[] = [];
  const add = (group: number[]): void => {
    const measured = group.length <= 2 ? pairs.entry(group) : lookup.entry(group);
    entries.push(
      measured
        ? { group, loss: [...measured.loss], estimated: false }
        : {
            group,
            loss: group.map((task) => pairs.approximate(task, group) ?? approximateTaskLoss(lookup, task, group)),
            estimated: true,
          },
    );
  };
  for (let k = 1; k <= size; k++) for (const group of combinations(lookup.taskCount, k)) add(group);
  const larger = new Map<string, number[]>();
  for (const group of [...table.entries.map((e) => e.group), ...extraGroups])
    if (group.length > size)
      larger.set(
        groupKey(group),
        [...group].sort((a, b) => a - b),
      );
  for (const group of larger.values()) add(group);
  entries.sort((a, b) => a.group.length - b.group.length || compareGroups(a.group, b.group));
  return { taskNames: [...table.taskNames], entries };
}

/**
 * The singles' and pairs' losses in flat arrays, for completeLossTable: at 1000 tasks its 500,500 groups and the
 * dendrogram's clusters (up to 1000 tasks each, a mean over every pair of members) took ~20 s through LossLookup's
 * string keys, for every table a budget curve, a held-out seed or a bootstrap resample selects on.
 */
class PairLosses {
  private readonly single: Float64Array;
  /** pair[i * T + j]: task i's loss in {i, j}. */
  private readonly pair: Float64Array;
  private readonly taskCount: number;

  constructor(table: LossTable) {
    const T = table.taskNames.length;
    this.taskCount = T;
    this.single = new Float64Array(T).fill(NaN);
    this.pair = new Float64Array(T * T).fill(NaN);
    for (const { group, loss } of table.entries)
      if (group.length === 1) this.single[group[0]] = loss[0];
      else if (group.length === 2) {
        this.pair[group[0] * T + group[1]] = loss[0];
        this.pair[group[1] * T + group[0]] = loss[1];
      }
  }

  /** A measured single or pair, as LossLookup.entry gives it. */
  entry(group: readonly number[]): GroupLoss | undefined {
    const loss =
      group.length === 1
        ? [this.single[group[0]]]
        : [this.pair[group[0] * this.taskCount + group[1]], this.pair[group[1] * this.taskCount + group[0]]];
    return loss.some(Number.isNaN) ? undefined : { group: [...group], loss };
  }

  /** approximateTaskLoss for a group of 2+ tasks; undefined when a pair is missing (approximateTaskLoss names it). */
  approximate(task: number, group: readonly number[]): number | undefined {
    if (group.length < 2) return undefined;
    let sum = 0;
    for (const other of group) if (other !== task) sum += this.pair[task * this.taskCount + other];
    return Number.isNaN(sum) ? undefined : sum / (group.length - 1);
  }
}

function compareGroups(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) if (a[k] !== b[k]) return a[k] - b[k];
  return a.length - b.length;
}

export interface GroupApproximationError {
  group: number[];
  measured: number[];
  estimated: number[];
  /** Mean over the group's tasks of |estimated − measured|. */
  meanAbsError: number;
  /** Mean over the group's tasks of |estimated − measured| / |measured|. */
  meanRelError: number;
}

export interface ApproximationError {
  groups: GroupApproximationError[];
  /** Means over every (group, task) of the measured groups of 3 or more tasks; NaN when there are none. */
  meanAbsError: number;
  meanRelError: number;
}

/** How far the pairwise approximation is from the measured losses of larger groups: is it safe to select on? */
export function approximationError(table: LossTable): ApproximationError {
  const lookup = new LossLookup(table);
  const groups: GroupApproximationError[] = [];
  let abs = 0;
  let rel = 0;
  let count = 0;
  for (const { group, loss } of table.entries) {
    if (group.length < 3) continue;
    const estimated = approximateGroupLoss(lookup, group);
    const absErrors = estimated.map((e, k) => Math.abs(e - loss[k]));
    const relErrors = absErrors.map((e, k) => e / Math.abs(loss[k]));
    abs += absErrors.reduce((s, e) => s + e, 0);
    rel += relErrors.reduce((s, e) => s + e, 0);
    count += group.length;
    groups.push({
      group: [...group],
      measured: [...loss],
      estimated,
      meanAbsError: absErrors.reduce((s, e) => s + e, 0) / group.length,
      meanRelError: relErrors.reduce((s, e) => s + e, 0) / group.length,
    });
  }
  return { groups, meanAbsError: abs / count, meanRelError: rel / count };
}
