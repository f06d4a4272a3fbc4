import { DirectedGraph } from 'graphology';
import { selectTaxonomy, type ServedTarget, type TaxonomyChoice, type TaxonomyProblem } from './bip.js';
import { tournament, type MeasuredTransfer, type TargetTournament } from './transfers.js';

/** Every target's tournament over all its candidates (own network, first- and higher-order transfers). */
export function fullTournaments(taskCount: number, transfers: MeasuredTransfer[]): TargetTournament[] {
  return Array.from({ length: taskCount }, (_, target) =>
    tournament(
      target,
      transfers.filter((t) => t.target === target),
    ),
  );
}

/** The selection's input: own-network and transfer scores are the AHP weights of the same tournament, so comparable. */
export function taxonomyProblem(tournaments: TargetTournament[]): TaxonomyProblem {
  return {
    ownScore: tournaments.map(({ candidates, ahp }) => ahp.weights[candidates.findIndex((c) => c.own)]),
    transfers: tournaments.map(({ candidates, ahp }) =>
      candidates.flatMap((c, k) => (c.own ? [] : [{ sources: c.sources, score: ahp.weights[k] }])),
    ),
  };
}

/** The exact selection at each budget. */
export async function selectionCurve(problem: TaxonomyProblem, budgets: number[]): Promise<TaxonomyChoice[]> {
  const choices: TaxonomyChoice[] = [];
  for (const budget of budgets) choices.push(await selectTaxonomy(problem, budget));
  return choices;
}

/** A target that gets a transfer although its own network, were it supervised, would do better. */
export const ownNetworkBetter = (problem: TaxonomyProblem, served: ServedTarget): boolean =>
  !served.own && problem.ownScore[served.target] > served.score;

/**
 * The taxonomy at one budget: tasks as nodes (`source` when trained from scratch), an edge from every source of a
 * target's chosen transfer to the target, carrying the transfer's score and order. `ownNetworkBetter` marks a target
 * whose own network (were it supervised) would beat the transfer it gets.
 */
export function taxonomyGraph(taskNames: string[], problem: TaxonomyProblem, choice: TaxonomyChoice): DirectedGraph {
  const graph = new DirectedGraph();
  const sources = new Set(choice.sources);
  taskNames.forEach((name, t) => graph.addNode(name, { source: sources.has(t), ownScore: problem.ownScore[t] }));
  for (const served of choice.served) {
    if (served.own) continue;
    for (const s of served.sources)
      graph.addDirectedEdgeWithKey(`${s}>${served.target}`, taskNames[s], taskNames[served.target], {
        score: served.score,
        order: served.sources.length,
        ownNetworkBetter: ownNetworkBetter(problem, served),
      });
  }
  return graph;
}

/** The report's shape (src/report/html/input.ts `Taxonomy`), edges keeping their order and own-network flag. */
export function reportTaxonomy(graph: DirectedGraph): {
  nodes: { name: string; source: boolean }[];
  edges: { source: string; target: string; score: number; order: number; ownNetworkBetter: boolean }[];
} {
  return {
    nodes: graph.mapNodes((name, attributes) => ({ name, source: attributes.source as boolean })),
    edges: graph.mapEdges((_edge, attributes, source, target) => ({
      source,
      target,
      score: attributes.score as number,
      order: attributes.order as number,
      ownNetworkBetter: attributes.ownNetworkBetter as boolean,
    })),
  };
}
