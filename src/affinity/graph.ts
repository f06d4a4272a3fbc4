import { DirectedGraph } from 'graphology';

type Cells = readonly (readonly (number | null)[])[];
/** What the graph needs of an estimate (as computed, or as read back from affinity.json with nulls). */
export interface AffinityGraphInput {
  taskNames: readonly string[];
  mean: Cells;
  low: Cells;
  high: Cells;
  groupScore?: Cells;
  singleLoss?: readonly (number | null)[];
}

/** The other tasks as sources of target `i`, in task order; with `strongest`, that many of the largest finite |gain|. */
function sourcesOf(mean: Cells, i: number, strongest: number | undefined): number[] {
  const others = mean[i].flatMap((_, j) => (j === i ? [] : [j]));
  if (strongest === undefined) return others;
  const size = (j: number): number => Math.abs(mean[i][j] ?? Number.NaN);
  return others
    .filter((j) => Number.isFinite(size(j)))
    .sort((a, b) => size(b) - size(a) || a - b)
    .slice(0, strongest);
}

/**
 * Tasks as nodes (with their single-task loss), one directed edge source -> target per ordered pair carrying how much
 * training with the source helps the target, with its interval: the form grouping and reports consume. With
 * `strongest`, each target keeps only its `strongest` sources of largest |gain| (a graph a tool can draw at 1000 tasks).
 * An edge is keyed `source>target` by task index: graphology's own keys start from a random number, which made
 * affinity-graph.json differ between two runs of the same sweep.
 */
export function affinityGraph(estimate: AffinityGraphInput, strongest?: number): DirectedGraph {
  const graph = new DirectedGraph();
  estimate.taskNames.forEach((name, i) => graph.addNode(name, { index: i, singleLoss: estimate.singleLoss?.[i] }));
  estimate.taskNames.forEach((target, i) =>
    sourcesOf(estimate.mean, i, strongest).forEach((j) =>
      graph.addDirectedEdgeWithKey(`${j}>${i}`, estimate.taskNames[j], target, {
        gain: estimate.mean[i][j],
        low: estimate.low[i][j],
        high: estimate.high[i][j],
        groupScore: estimate.groupScore?.[i][j],
      }),
    ),
  );
  return graph;
}
