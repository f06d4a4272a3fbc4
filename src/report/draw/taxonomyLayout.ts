/** The taxonomy graph's layout: layers by longest path from the sources, order within layers by barycentre sweeps. */
import * as d3 from 'd3';

/** Layers by longest path from the source tasks (cycle edges are drawn as back edges); order by barycentre sweeps. */
export function layoutTaxonomy(
  names: string[],
  sources: boolean[],
  edges: { source: number; target: number }[],
): { layer: number[]; rank: number[]; back: boolean[] } {
  const n = names.length;
  const out: number[][] = names.map(() => []);
  edges.forEach((e, k) => out[e.source].push(k));
  const indegree = names.map((_, v) => edges.filter((e) => e.target === v && e.source !== v).length);
  const roots = names.map((_, v) => v).filter((v) => sources[v]);
  if (!roots.length) roots.push(...names.map((_, v) => v).filter((v) => indegree[v] === 0));
  const state = new Array<number>(n).fill(0);
  const back = edges.map((e) => e.source === e.target);
  const visit = (v: number): void => {
    state[v] = 1;
    for (const k of out[v]) {
      const w = edges[k].target;
      if (state[w] === 1) back[k] = true;
      else if (state[w] === 0) visit(w);
    }
    state[v] = 2;
  };
  roots.forEach((v) => state[v] === 0 && visit(v));
  for (let v = 0; v < n; v++) if (state[v] === 0) visit(v);
  const layer = new Array<number>(n).fill(0);
  for (let pass = 0; pass < n; pass++) {
    let changed = false;
    edges.forEach((e, k) => {
      if (!back[k] && layer[e.target] < layer[e.source] + 1) {
        layer[e.target] = layer[e.source] + 1;
        changed = true;
      }
    });
    if (!changed) break;
  }
  const rank = new Array<number>(n).fill(0);
  const layers = d3.max(layer) ?? 0;
  const members = d3.range(layers + 1).map((l) => names.map((_, v) => v).filter((v) => layer[v] === l));
  members.forEach((m) => m.forEach((v, k) => (rank[v] = k)));
  for (let sweep = 0; sweep < 4; sweep++)
    for (let l = 1; l <= layers; l++) {
      const centre = (v: number): number => {
        const from = edges
          .filter((e, k) => !back[k] && e.target === v)
          .map((e) => rank[e.source] - (members[layer[e.source]].length - 1) / 2);
        return from.length ? d3.mean(from)! : rank[v] - (members[l].length - 1) / 2;
      };
      const keyed = members[l].map((v) => ({ v, c: centre(v) }));
      keyed.sort((a, b) => a.c - b.c || a.v - b.v);
      members[l] = keyed.map((k) => k.v);
      members[l].forEach((v, k) => (rank[v] = k));
    }
  return { layer, rank, back };
}
