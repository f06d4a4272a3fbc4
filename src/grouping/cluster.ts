import { createRequire } from 'node:module';
import { UndirectedGraph } from 'graphology';
import type { LouvainOptions } from 'graphology-communities-louvain';
import { seededRandom } from '../data/random.js';
import { cutMerges } from '../math/dendrogram.js';
import { averageLinkage, type Linkage } from '../math/linkage.js';
import { assertSymmetric } from '../math/matrix.js';
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

/** Tasks as nodes, an edge for every pair with positive affinity: Louvain's modularity needs non-negative weights. */
function louvainGraph(affinity: readonly number[][]): UndirectedGraph {
  assertSymmetric(affinity);
  const graph = new UndirectedGraph();
  affinity.forEach((_, i) => graph.addNode(String(i)));
  affinity.forEach((row, i) =>
    row.forEach((weight, j) => {
      if (j > i && weight > 0) graph.addEdge(String(i), String(j), { weight });
    }),
  );
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
  canonicalLabels(labels).forEach((c, task) => {
    groups[c] ??= [];
    groups[c].push(task);
  });
  return groups;
}

/** Louvain communities of the positive-affinity graph; seeded, so the same input gives the same partition. */
export function louvainClusters(
  affinity: readonly number[][],
  options: { seed?: number; resolution?: number } = {},
): number[] {
  const graph = louvainGraph(affinity);
  if (graph.size === 0) return affinity.map((_, i) => i);
  const communities = louvain(graph, {
    getEdgeWeight: 'weight',
    rng: seededRandom(options.seed ?? 1),
    resolution: options.resolution ?? 1,
  });
  return canonicalLabels(affinity.map((_, i) => communities[String(i)]));
}

/** Labels after the first taskCount − k merges, i.e. the dendrogram cut into k clusters. */
export function cutDendrogram(dendrogram: Linkage, k: number): number[] {
  return canonicalLabels(cutMerges(dendrogram.merges, dendrogram.taskCount, k));
}

/** Every cluster the dendrogram ever forms, from pairs up to all tasks: nested candidates for every budget. */
export const dendrogramClusters = (dendrogram: Linkage): number[][] => dendrogram.merges.map(({ members }) => members);

export const agglomerativeClusters = (affinity: readonly number[][], k: number): number[] =>
  cutDendrogram(averageLinkage(affinity), k);

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
    return measured
      ? { group, loss: [...measured.loss], estimated: false }
      : { group, loss: approximateGroupLoss(lookup, group), estimated: true };
  });
  return { totalLoss: networks.reduce((s, n) => s + n.loss.reduce((a, l) => a + l, 0), 0), networks };
}
