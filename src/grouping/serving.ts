import { tInterval, type Interval } from '../affinity/stats.js';
import { canonicalLabels, groupsOfLabels } from './cluster.js';
import { taskLossIn } from './higherOrder.js';
import { lossLookup, type LossTable } from './lossTable.js';

/** A grouping decision to score: the networks to train and, per task, the index of the network that serves it. */
export interface Serving {
  groups: number[][];
  assignment: number[];
}

/** A partition (one network per cluster) as a serving. */
export const servingOfLabels = (labels: readonly number[]): Serving => ({
  groups: groupsOfLabels(labels),
  assignment: canonicalLabels(labels),
});

/** Every task in its own network, and all tasks in one. */
export const allSeparate = (taskCount: number): Serving =>
  servingOfLabels(Array.from({ length: taskCount }, (_, t) => t));
export const allInOne = (taskCount: number): Serving => servingOfLabels(new Array<number>(taskCount).fill(0));

/** Per task, its loss in the network serving it: measured where that network was trained, else approximated from pairs. */
export function servedLosses(table: LossTable, serving: Serving): number[] {
  const lookup = lossLookup(table);
  return serving.assignment.map((network, task) => taskLossIn(lookup, task, serving.groups[network]));
}

export const servedTotal = (table: LossTable, serving: Serving): number =>
  servedLosses(table, serving).reduce((s, l) => s + l, 0);

/** Total loss of a serving in each replication, and its t interval over replications. */
export interface ReplicatedTotal extends Interval {
  totals: number[];
}

export function replicatedTotal(tables: readonly LossTable[], serving: Serving, level: number): ReplicatedTotal {
  const totals = tables.map((table) => servedTotal(table, serving));
  return { ...tInterval(totals, level), totals };
}

/** Paired difference a − b over the same replications (same seeds, folds and initialisations). */
export function pairedDifference(a: readonly number[], b: readonly number[], level: number): Interval {
  if (a.length !== b.length) throw new RangeError(`paired difference of ${a.length} and ${b.length} replications`);
  return tInterval(
    a.map((x, r) => x - b[r]),
    level,
  );
}

/** Same networks serving the same tasks, whatever their order. */
export function sameServing(a: Serving, b: Serving): boolean {
  const served = (s: Serving): string => s.assignment.map((n) => s.groups[n].join('+')).join('|');
  return served(a) === served(b);
}
