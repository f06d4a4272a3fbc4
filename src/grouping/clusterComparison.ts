import type { Interval } from '../affinity/stats.js';
import { adjustedRandIndex } from './ari.js';
import { agglomerativeClusters, louvainClusters } from './cluster.js';
import type { CurvePoint } from './curve.js';
import type { LossTable } from './lossTable.js';
import { pairedDifference, replicatedTotal, servingOfLabels, type ReplicatedTotal } from './serving.js';

/** A clustering of the affinity graph scored as a grouping, next to exact selection at the same budget. */
export interface ClusteringPoint {
  method: 'louvain' | 'average linkage';
  budget: number;
  groups: number[][];
  predicted: ReplicatedTotal;
  /** Clustering minus exact selection at the same budget, paired by replication (absent without a selection there). */
  versusSelection?: Interval;
  /** Agreement of the clusters with the selection's task-to-network assignment. */
  ari?: number;
}

/** Scores one clustering like a selection: its networks' test losses, and against the selection at its budget. */
function scoreClustering(method: ClusteringPoint['method'], labels: number[], testTables: readonly LossTable[], curve: readonly CurvePoint[], level = 0.95): ClusteringPoint {
  const serving = servingOfLabels(labels);
  const predicted = replicatedTotal(testTables, serving, level);
  const budget = serving.groups.length;
  const point = curve.find((p) => p.budget === budget && p.selection.groups.length > 0);
  return {
    method,
    budget,
    groups: serving.groups,
    predicted,
    ...(point ? { versusSelection: pairedDifference(predicted.totals, point.predicted.totals, level), ari: adjustedRandIndex(labels, point.selection.assignment) } : {}),
  };
}

/** Average-linkage cuts of the affinity at every budget of the curve. */
export const averageLinkageComparison = (affinity: number[][], testTables: readonly LossTable[], curve: readonly CurvePoint[], level = 0.95): ClusteringPoint[] =>
  curve.filter((p) => p.budget <= affinity.length).map((p) => scoreClustering('average linkage', agglomerativeClusters(affinity, p.budget), testTables, curve, level));

/**
 * The fast alternative to exact selection: cluster the symmetric affinity (average linkage at every budget of the
 * curve, Louvain at the number of communities it finds) and score each clustering like a selection.
 */
export function clusteringComparison(affinity: number[][], testTables: readonly LossTable[], curve: readonly CurvePoint[], level = 0.95, seed = 1): ClusteringPoint[] {
  return [scoreClustering('louvain', louvainClusters(affinity, { seed }), testTables, curve, level), ...averageLinkageComparison(affinity, testTables, curve, level)];
}
