import type { Interval } from '../affinity/stats.js';
import { adjustedRandIndex } from './ari.js';
import { averageLinkage } from '../math/linkage.js';
import { cutDendrogram, louvainClusters } from './cluster.js';
import type { CurvePoint } from './curve.js';
import type { LossTable } from './lossTable.js';
import { pairedDifference, replicatedTotal, servingOfLabels, type ReplicatedTotal } from './serving.js';

/**
 * The clustering alternatives to exact selection, in report order: each turns the symmetric affinity into labellings,
 * given the budgets of the curve. Adding one here adds it to `tra group`'s comparison, grouping.json and the report.
 */
export const CLUSTERING_METHODS = {
  /** Louvain at the number of communities it finds. */
  louvain: (affinity: number[][], _budgets: number[], seed: number): number[][] => [
    louvainClusters(affinity, { seed }),
  ],
  /** The average-linkage dendrogram cut at every budget. */
  'average linkage': (affinity: number[][], budgets: number[]): number[][] => {
    const dendrogram = averageLinkage(affinity);
    return budgets.map((k) => cutDendrogram(dendrogram, k));
  },
} satisfies Record<string, (affinity: number[][], budgets: number[], seed: number) => number[][]>;

export type ClusteringMethod = keyof typeof CLUSTERING_METHODS;

/** A clustering of the affinity graph scored as a grouping, next to exact selection at the same budget. */
export interface ClusteringPoint {
  method: ClusteringMethod;
  budget: number;
  groups: number[][];
  predicted: ReplicatedTotal;
  /** Clustering minus exact selection at the same budget, paired by replication (absent without a selection there). */
  versusSelection?: Interval;
  /** Agreement of the clusters with the selection's task-to-network assignment. */
  ari?: number;
}

/** Scores one clustering like a selection: its networks' test losses, and against the selection at its budget. */
function scoreClustering(
  method: ClusteringMethod,
  labels: number[],
  testTables: readonly LossTable[],
  curve: readonly CurvePoint[],
  level: number,
): ClusteringPoint {
  const serving = servingOfLabels(labels);
  const predicted = replicatedTotal(testTables, serving, level);
  const budget = serving.groups.length;
  const point = curve.find((p) => p.budget === budget && p.selection.groups.length > 0);
  return {
    method,
    budget,
    groups: serving.groups,
    predicted,
    ...(point
      ? {
          versusSelection: pairedDifference(predicted.totals, point.predicted.totals, level),
          ari: adjustedRandIndex(labels, point.selection.assignment),
        }
      : {}),
  };
}

/**
 * The fast alternatives to exact selection: cluster the symmetric affinity with each of `methods` (all by default) at
 * the budgets of the curve and score each clustering like a selection.
 */
export function clusteringComparison(
  affinity: number[][],
  testTables: readonly LossTable[],
  curve: readonly CurvePoint[],
  level: number,
  {
    seed = 1,
    methods = Object.keys(CLUSTERING_METHODS) as ClusteringMethod[],
  }: { seed?: number; methods?: readonly ClusteringMethod[] } = {},
): ClusteringPoint[] {
  const budgets = curve.filter((p) => p.budget <= affinity.length).map((p) => p.budget);
  return methods.flatMap((method) =>
    CLUSTERING_METHODS[method](affinity, budgets, seed).map((labels) =>
      scoreClustering(method, labels, testTables, curve, level),
    ),
  );
}
