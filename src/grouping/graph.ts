import { DirectedGraph } from 'graphology';
import type { Serving } from './serving.js';

/**
 * A grouping as a graph: task nodes and network nodes, an edge network -> task for every member, marked `serves` on
 * the network that answers for the task at inference (with the overlapping groups of Standley's selection, a task may
 * be trained in a network that does not serve it).
 */
export function groupingGraph(
  taskNames: readonly string[],
  serving: Serving,
  taskLoss: readonly number[],
): DirectedGraph {
  const graph = new DirectedGraph();
  taskNames.forEach((name, task) =>
    graph.addNode(`task:${name}`, { kind: 'task', name, index: task, loss: taskLoss[task] }),
  );
  serving.groups.forEach((group, n) => {
    const network = `network:${n}`;
    graph.addNode(network, { kind: 'network', tasks: group.map((t) => taskNames[t]) });
    for (const task of group)
      graph.addDirectedEdgeWithKey(`${n}>${task}`, network, `task:${taskNames[task]}`, {
        serves: serving.assignment[task] === n,
      });
  });
  return graph;
}
