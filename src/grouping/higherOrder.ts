import { combinations } from '../math/combinations.js';
import { groupKey } from '../sweep/plan.js';
import { LossLookup, lossLookup, type GroupLoss, type LossTable } from './lossTable.js';

/**
 * Standley et al.'s higher-order approximation: task i's loss in group G is the mean of its losses in the pairs
 * {i, j}, j in G \ {i}; a single is its own measurement. Lets selection consider groups nobody trained.
 */
export function approximateTaskLoss(lookup: LossLookup, task: number, group: readonly number[]): number {
  if (!group.includes(task)) throw new RangeError(`task ${task} is not in group [${group.join(', ')}]`);
  if (group.length === 1) return lookup.required(task, group);
  let sum = 0;
  for (const other of group) if (other !== task) sum += lookup.requiredPair(task, other);
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
  const lookup = lossLookup(table);
  const size = Math.min(maxSize, lookup.taskCount);
  const entries: CompletedGroupLoss[] = [];
  const add = (group: number[]): void => {
    const measured = lookup.entry(group);
    entries.push(
      measured
        ? { group, loss: [...measured.loss], estimated: false }
        : { group, loss: approximateGroupLoss(lookup, group), estimated: true },
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
