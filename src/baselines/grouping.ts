import type { Matrix } from 'ml-matrix';
import { agglomerativeClusters, groupsOfLabels } from '../grouping/cluster.js';
import { symmetrise } from '../math/matrix.js';

/** Average-linkage groups of a (possibly asymmetric) learned task similarity, ordered by first member. */
export function groupsFromSimilarity(similarity: Matrix, k: number): number[][] {
  return groupsOfLabels(agglomerativeClusters(symmetrise(similarity.to2DArray()), Math.max(k, 1)));
}
