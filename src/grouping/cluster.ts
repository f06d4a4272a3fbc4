import { createRequire } from 'node:module';
import { UndirectedGraph } from 'graphology';
import type { LouvainOptions } from 'graphology-communities-louvain';
import { seededRandom } from '../data/random.js';
import { approximateGroupLoss, type CompletedGroupLoss } from './higherOrder.js';
import { LossLookup, type LossTable } from './lossTable.js';

/**
 * Loaded through require: the typings declare an ES default export, but the package is CommonJS with
 * `module.exports = louvain`, so a typed default import is not callable under NodeNext.
 */
const louvain = createRequire(import.meta.url)('graphology-communities-louvain') as (
  graph: UndirectedGraph,
  options?: LouvainOptions,
) => Record<string, number>;

function checkAffinity(affinity: readonly number[][]): void {
  const n = affinity.length;
  affinity.forEach((row, i) => {
    if (row.length !== n) throw new RangeError(`affinity row ${i} has ${row.length} entries, expected ${n}`);
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new RangeError(`affinity[${i}][${j}] is not finite`);
      if (Math.abs(v - affinity[j][i]) > 1e-9 * Math.max(1, Math.abs(v))) throw new RangeError(`affinity is not symmetric at (${i}, ${j}); symmetrise it first`);
    });
  });
}

/** Tasks as nodes, an edge for every pair with positive affinity: Louvain's modularity needs non-negative weights. */
export function affinityGraph(affinity: readonly number[][]): UndirectedGraph {
  checkAffinity(affinity);
  const graph = new UndirectedGraph();
  affinity.forEach((_, i) => graph.addNode(String(i)));
  affinity.forEach((row, i) => row.forEach((weight, j) => {
    if (j > i && weight > 0) graph.addEdge(String(i), String(j), { weight });
  }));
  return graph;
}

/** Renumbers clusters 0, 1, ... in order of first appearance, so equal partitions get equal label arrays. */
export function canonicalLabels(labels: readonly number[]): number[] {
  const renamed = new Map<number, number>();
  return labels.map((l) => {
    if (!renamed.has(l)) renamed.set(l, renamed.size);
    return renamed.get(l) as number;
  });
}

/** The clusters of a labelling as sorted task lists, in order of first member. */
export function groupsOfLabels(labels: readonly number[]): number[][] {
  const groups: number[][] = [];
  canonicalLabels(labels).forEach((c, task) => (groups[c] ??= []).push(task));
  return groups;
}

/** Louvain communities of the positive-affinity graph; seeded, so the same input gives the same partition. */
export function louvainClusters(affinity: readonly number[][], options: { seed?: number; resolution?: number } = {}): number[] {
  const graph = affinityGraph(affinity);
  if (graph.size === 0) return affinity.map((_, i) => i);
  const communities = louvain(graph, { getEdgeWeight: 'weight', rng: seededRandom(options.seed ?? 1), resolution: options.resolution ?? 1 });
  return canonicalLabels(affinity.map((_, i) => communities[String(i)]));
}

/** Average-linkage merge history: merges[m] joined clusters `left` and `right` at mean pairwise affinity `similarity`. */
export interface Dendrogram {
  taskCount: number;
  merges: { left: number[]; right: number[]; similarity: number }[];
}

/** Agglomerative clustering: repeatedly merge the two clusters with the highest mean pairwise affinity. */
export function averageLinkage(affinity: readonly number[][]): Dendrogram {
  checkAffinity(affinity);
  let clusters = affinity.map((_, i) => [i]);
  const linkage = (a: number[], b: number[]): number => {
    let sum = 0;
    for (const s of a) for (const t of b) sum += affinity[s][t];
    return sum / (a.length * b.length);
  };
  const merges: Dendrogram['merges'] = [];
  while (clusters.length > 1) {
    let best = { i: 0, j: 1, similarity: -Infinity };
    for (let i = 0; i < clusters.length; i++)
      for (let j = i + 1; j < clusters.length; j++) {
        const similarity = linkage(clusters[i], clusters[j]);
        if (similarity > best.similarity) best = { i, j, similarity };
      }
    const [left, right] = [clusters[best.i], clusters[best.j]];
    merges.push({ left, right, similarity: best.similarity });
    clusters = [...clusters.filter((_, c) => c !== best.i && c !== best.j), [...left, ...right].sort((a, b) => a - b)];
  }
  return { taskCount: affinity.length, merges };
}

/** Labels after the first taskCount − k merges, i.e. the dendrogram cut into k clusters. */
export function cutDendrogram(dendrogram: Dendrogram, k: number): number[] {
  if (!Number.isInteger(k) || k < 1 || k > dendrogram.taskCount) throw new RangeError(`cannot cut ${dendrogram.taskCount} tasks into ${k} clusters`);
  const labels = Array.from({ length: dendrogram.taskCount }, (_, i) => i);
  for (const { left, right } of dendrogram.merges.slice(0, dendrogram.taskCount - k))
    for (const task of right) labels[task] = labels[left[0]];
  return canonicalLabels(labels);
}

/** Every cluster the dendrogram ever forms, from pairs up to all tasks: nested candidates for every budget. */
export const dendrogramClusters = (dendrogram: Dendrogram): number[][] => dendrogram.merges.map(({ left, right }) => [...left, ...right].sort((a, b) => a - b));

export const agglomerativeClusters = (affinity: readonly number[][], k: number): number[] => cutDendrogram(averageLinkage(affinity), k);

export interface PartitionLoss {
  /** Sum over tasks of each task's loss in its cluster's network. */
  totalLoss: number;
  /** One network per cluster; `estimated` when the group was not measured and its loss is the pairwise approximation. */
  networks: CompletedGroupLoss[];
}

/** Scores a clustering as a selection of one network per cluster, so it can be compared with exact selection at the same budget. */
export function partitionLoss(table: LossTable, labels: readonly number[]): PartitionLoss {
  const lookup = new LossLookup(table);
  if (labels.length !== lookup.taskCount) throw new RangeError(`${labels.length} labels for ${lookup.taskCount} tasks`);
  const networks = groupsOfLabels(labels).map((group): CompletedGroupLoss => {
    const measured = lookup.entry(group);
    return measured ? { group, loss: [...measured.loss], estimated: false } : { group, loss: approximateGroupLoss(lookup, group), estimated: true };
  });
  return { totalLoss: networks.reduce((s, n) => s + n.loss.reduce((a, l) => a + l, 0), 0), networks };
}
