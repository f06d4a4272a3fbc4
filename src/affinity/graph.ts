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

/**
 * Tasks as nodes (with their single-task loss), one directed edge source -> target per ordered pair carrying how much
 * training with the source helps the target, with its interval: the form grouping and reports consume.
 */
export function affinityGraph(estimate: AffinityGraphInput): DirectedGraph {
  const graph = new DirectedGraph();
  estimate.taskNames.forEach((name, i) => graph.addNode(name, { index: i, singleLoss: estimate.singleLoss?.[i] }));
  estimate.taskNames.forEach((target, i) =>
    estimate.taskNames.forEach((source, j) => {
      if (i === j) return;
      graph.addDirectedEdge(source, target, {
        gain: estimate.mean[i][j],
        low: estimate.low[i][j],
        high: estimate.high[i][j],
        groupScore: estimate.groupScore?.[i][j],
      });
    }),
  );
  return graph;
}
