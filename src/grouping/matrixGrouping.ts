import { mean, seedOfReplication } from '../affinity/stats.js';
import { seedsOf } from './replicated.js';
import { groupScore, type Matrix } from '../affinity/gain.js';
import { adjustedRandIndex } from './ari.js';
import { agglomerativeClusters } from './cluster.js';
import { clusteringComparison, type ClusteringPoint } from './clusterComparison.js';
import type { CurvePoint } from './curve.js';
import type { LossTable } from './lossTable.js';

/** How good the groupings induced by an affinity estimate are, against exact selection on the measured losses. */
export interface MatrixGrouping {
  /** Average-linkage clustering of the estimate at each budget of the curve, scored on the sweep's test losses. */
  points: ClusteringPoint[];
  /** Means over those budgets of the ARI with the selection and of the regret (clustering minus selection). */
  meanAri: number;
  meanRegret: number;
}

/**
 * Groups the tasks by an estimated affinity (any proxy, or the sweep's own matrix) and prices each grouping with the
 * measured losses; undefined when the estimate leaves cells undefined (e.g. mutual information of regression tasks).
 */
export function groupingFromMatrix(
  estimate: Matrix,
  testTables: readonly LossTable[],
  curve: readonly CurvePoint[],
  level: number,
): MatrixGrouping | undefined {
  const symmetric = groupScore(estimate.map((row, i) => row.map((v, j) => (i === j ? 0 : v))));
  if (symmetric.some((row) => row.some((v) => !Number.isFinite(v)))) return undefined;
  const points = clusteringComparison(symmetric, testTables, curve, level, { methods: ['average linkage'] });
  const compared = points.filter((p) => p.versusSelection !== undefined);
  return {
    points,
    meanAri: mean(compared.map((p) => p.ari as number)),
    meanRegret: mean(compared.map((p) => p.versusSelection?.mean as number)),
  };
}

/**
 * Seed noise of groupings, for scale: the ARI between the average-linkage groupings of the gain matrices of two
 * disjoint halves of the seeds (alternate seeds; a seed's folds stay together, as they are not independent), averaged
 * over the given budgets. NaN with fewer than two seeds.
 */
export function halfVsHalfGroupingAri(
  perReplication: readonly Matrix[],
  replications: readonly string[],
  budgets: readonly number[],
): number {
  const seeds = seedsOf(replications);
  const halfMean = (parity: number): Matrix => {
    const half = perReplication.filter((_, r) => seeds.indexOf(seedOfReplication(replications[r])) % 2 === parity);
    return groupScore(half[0].map((row, i) => row.map((_, j) => (i === j ? 0 : mean(half.map((m) => m[i][j]))))));
  };
  if (seeds.length < 2) return NaN;
  const [a, b] = [halfMean(0), halfMean(1)];
  return mean(budgets.map((k) => adjustedRandIndex(agglomerativeClusters(a, k), agglomerativeClusters(b, k))));
}
