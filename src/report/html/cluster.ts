import type { JsonMatrix } from './input.js';

/** One merge of the average-linkage tree: node ids < T are tasks, id T + k is the k-th merge. */
export interface Merge {
  left: number;
  right: number;
  /** Average similarity between the two merged clusters (non-increasing along the merges). */
  similarity: number;
}

export interface Clustering {
  /** Task indices in dendrogram leaf order. */
  order: number[];
  merges: Merge[];
}

/**
 * Average-linkage (UPGMA) agglomerative clustering on a symmetric similarity matrix (the affinity group score):
 * repeatedly merges the two clusters with the highest mean pairwise similarity. Null cells are skipped; ties go to
 * the lowest task indices, so the order is deterministic. The leaf order puts similar tasks next to each other.
 */
export function averageLinkage(similarity: JsonMatrix): Clustering {
  const T = similarity.length;
  const value = (i: number, j: number): number | null => {
    const a = similarity[i]?.[j];
    const b = similarity[j]?.[i];
    const known = [a, b].filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    return known.length ? known.reduce((s, x) => s + x, 0) / known.length : null;
  };
  type Cluster = { id: number; members: number[]; first: number };
  let clusters: Cluster[] = Array.from({ length: T }, (_, i) => ({ id: i, members: [i], first: i }));
  const children = new Map<number, [number, number]>();
  const merges: Merge[] = [];
  const linkage = (a: Cluster, b: Cluster): number => {
    let sum = 0;
    let n = 0;
    for (const i of a.members)
      for (const j of b.members) {
        const v = value(i, j);
        if (v !== null) {
          sum += v;
          n++;
        }
      }
    return n ? sum / n : -Infinity;
  };
  while (clusters.length > 1) {
    let best: [number, number] = [0, 1];
    let bestValue = -Infinity;
    for (let a = 0; a < clusters.length; a++)
      for (let b = a + 1; b < clusters.length; b++) {
        const v = linkage(clusters[a], clusters[b]);
        if (v > bestValue) {
          bestValue = v;
          best = [a, b];
        }
      }
    const [a, b] = best;
    const [left, right] = clusters[a].first <= clusters[b].first ? [clusters[a], clusters[b]] : [clusters[b], clusters[a]];
    const id = T + merges.length;
    merges.push({ left: left.id, right: right.id, similarity: Number.isFinite(bestValue) ? bestValue : 0 });
    children.set(id, [left.id, right.id]);
    const merged = { id, members: [...left.members, ...right.members], first: Math.min(left.first, right.first) };
    clusters = clusters.filter((_, k) => k !== a && k !== b);
    clusters.push(merged);
  }
  const order: number[] = [];
  const visit = (id: number): void => {
    const kids = children.get(id);
    if (!kids) order.push(id);
    else kids.forEach(visit);
  };
  if (T > 0) visit(clusters[0].id);
  return { order, merges };
}
