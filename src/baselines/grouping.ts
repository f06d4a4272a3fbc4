import type { Matrix } from 'ml-matrix';
import { agglomerativeClusters, groupsOfLabels } from '../grouping/cluster.js';

/** Average-linkage groups of a (possibly asymmetric) learned task similarity, ordered by first member. */
export function groupsFromSimilarity(similarity: Matrix, k: number): number[][] {
  const symmetric = similarity.to2DArray().map((row, s) => row.map((v, t) => (v + similarity.get(t, s)) / 2));
  return groupsOfLabels(agglomerativeClusters(symmetric, Math.max(k, 1)));
}
