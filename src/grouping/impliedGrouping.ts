import { max } from 'd3-array';
import type { Matrix } from '../affinity/gain.js';
import { groupScore } from '../affinity/gain.js';
import { averageLinkage } from '../math/linkage.js';
import { cutDendrogram, groupsOfLabels } from './cluster.js';

/** The grouping an affinity estimate implies on its own, without any measured loss. */
export interface ImpliedGrouping {
  labels: number[];
  groups: number[][];
  /** Mean silhouette of the chosen cut (higher: tighter, better separated groups). */
  silhouette: number;
}

/**
 * Average-linkage clusters of the symmetrised estimate, cut where the mean silhouette (Rousseeuw 1987, with the
 * affinity turned into a dissimilarity) is highest over 2..T−1 clusters. Uses the estimate alone (it comes from
 * training and validation rows), so no test loss plays any part in the choice. Undefined cells make it undefined.
 */
export function impliedGrouping(estimate: Matrix): ImpliedGrouping | undefined {
  const T = estimate.length;
  const symmetric = groupScore(estimate.map((row, i) => row.map((v, j) => (i === j ? 0 : v))));
  if (T < 3 || symmetric.some((row) => row.some((v) => !Number.isFinite(v)))) return undefined;
  const top = max(symmetric, (row) => max(row)) ?? 0; // not Math.max(...): a million cells overflow the stack
  const distance = symmetric.map((row, i) => row.map((v, j) => (i === j ? 0 : top - v)));
  const dendrogram = averageLinkage(symmetric);
  let best: ImpliedGrouping | undefined;
  for (let k = 2; k < T; k++) {
    const labels = cutDendrogram(dendrogram, k);
    const score = meanSilhouette(distance, labels);
    if (!best || score > best.silhouette) best = { labels, groups: groupsOfLabels(labels), silhouette: score };
  }
  return best;
}

/** Mean silhouette of a labelling under a dissimilarity; a task alone in its cluster scores 0. */
export function meanSilhouette(distance: Matrix, labels: readonly number[]): number {
  const T = labels.length;
  const clusters = groupsOfLabels(labels);
  let total = 0;
  for (let i = 0; i < T; i++) {
    const own = clusters[labels[i]];
    if (own.length === 1) continue;
    const meanTo = (members: number[]): number => members.reduce((s, j) => s + distance[i][j], 0) / members.length;
    const a = own.reduce((s, j) => s + distance[i][j], 0) / (own.length - 1);
    const b = Math.min(...clusters.filter((_, c) => c !== labels[i]).map(meanTo));
    total += b === a ? 0 : (b - a) / Math.max(a, b);
  }
  return total / T;
}
