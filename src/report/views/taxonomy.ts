/** The directed task taxonomy: its section (Node side) and a deterministic layered graph (client side; see common.ts for the rules). */
import type * as D3 from 'd3';
import {
  createSvg,
  describe,
  formatNumber,
  joinMarks,
  legendItem,
  measureTexts,
  sizeSvg,
  tooltip,
  truncate,
  type Group,
} from './common.js';
import type { Taxonomy } from '../html/input.js';
import { readTaxonomy } from '../html/read.js';
import { checkTaxonomy } from '../html/validate.js';
import type { FileSection } from './section.js';

declare const d3: typeof D3;

export const taxonomySection: FileSection<'taxonomy', Taxonomy, Taxonomy> = {
  key: 'taxonomy',
  nav: 'Taxonomy',
  title: 'Task taxonomy',
  file: 'taxonomy.json',
  read: readTaxonomy,
  check: checkTaxonomy,
  data: (input) => (input.nodes.length ? input : undefined),
  intro: () =>
    'Directed transfer structure: an arrow from a source task to a target task means training with the source helps the target; thicker arrows transfer more.',
  draw: drawTaxonomy,
  helpers: [layoutTaxonomy],
};

interface LaidEdge {
  source: number;
  target: number;
  score: number;
  back: boolean;
}

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

export function drawTaxonomy(container: HTMLElement, data: Taxonomy): void {
  const names = data.nodes.map((d) => d.name);
  const sourceFlag = data.nodes.map((d) => Boolean(d.source));
  const index = new Map<string, number>();
  names.forEach((name, k) => index.set(name, k));
  for (const e of data.edges)
    for (const end of [e.source, e.target])
      if (!index.has(end)) {
        index.set(end, names.length);
        names.push(end);
        sourceFlag.push(false);
      }
  const edgeList = data.edges.map((e) => ({
    source: index.get(e.source)!,
    target: index.get(e.target)!,
    score: e.score,
  }));
  const { layer, rank, back } = layoutTaxonomy(names, sourceFlag, edgeList);
  const edges: LaidEdge[] = edgeList.map((e, k) => ({ ...e, back: back[k] }));

  const svg = createSvg(
    container,
    'taxonomy',
    'Task taxonomy',
    `Directed graph of ${names.length} tasks and ${edges.length} transfer edges (source to target), laid out in layers from the source tasks.`,
  );
  const labels = names.map((n) => truncate(n, 30));
  const widths = measureTexts(svg, labels, 'node-label').map((w) => w + 26);
  const boxH = 30;
  const layers = (d3.max(layer) ?? 0) + 1;
  const layerWidth = d3.range(layers).map(
    (l) =>
      d3.max(
        names.map((_, v) => v).filter((v) => layer[v] === l),
        (v) => widths[v],
      ) ?? 80,
  );
  const gap = 110;
  const layerX: number[] = [];
  layerX[0] = 0;
  for (let l = 1; l < layers; l++) layerX[l] = layerX[l - 1] + layerWidth[l - 1] + gap;
  const perLayer = d3.range(layers).map((l) => layer.filter((x) => x === l).length);
  const tallest = d3.max(perLayer) ?? 1;
  const rowGap = 52;
  const margin = { top: 56, left: 16, right: 24, bottom: 24 };
  const nodeX = (v: number): number => layerX[layer[v]] + (layerWidth[layer[v]] - widths[v]) / 2;
  const nodeY = (v: number): number => (rank[v] + (tallest - perLayer[layer[v]]) / 2) * rowGap;
  const innerW = layerX[layers - 1] + layerWidth[layers - 1];
  const innerH = (tallest - 1) * rowGap + boxH;
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  svg
    .append('defs')
    .append('marker')
    .attr('id', 'arrow')
    .attr('viewBox', '0 -5 10 10')
    .attr('refX', 9)
    .attr('markerUnits', 'userSpaceOnUse')
    .attr('markerWidth', 10)
    .attr('markerHeight', 10)
    .attr('orient', 'auto')
    .append('path')
    .attr('d', 'M0,-4L10,0L0,4Z')
    .attr('fill', '#4a5568');
  const strongest = d3.max(edges, (e) => Math.abs(e.score)) || 1;
  const strokeWidth = d3.scaleLinear().domain([0, strongest]).range([1, 4.5]);
  const path = (e: LaidEdge): string => {
    const sx = nodeX(e.source) + widths[e.source];
    const sy = nodeY(e.source) + boxH / 2;
    const tx = nodeX(e.target);
    const ty = nodeY(e.target) + boxH / 2;
    if (!e.back && layer[e.target] > layer[e.source]) {
      const mid = (sx + tx) / 2;
      return `M${sx},${sy}C${mid},${sy} ${mid},${ty} ${tx - 2},${ty}`;
    }
    // Back or same-layer edge: an arc below the boxes, from the bottom of the source to the bottom of the target.
    const ax = nodeX(e.source) + widths[e.source] / 2;
    const bx = nodeX(e.target) + widths[e.target] / 2;
    const ay = nodeY(e.source) + boxH;
    const by = nodeY(e.target) + boxH + 2;
    const dip = Math.max(ay, by) + 30 + Math.abs(ax - bx) * 0.12;
    return `M${ax},${ay}C${ax},${dip} ${bx},${dip} ${bx},${by}`;
  };
  const tip = tooltip();
  const links = joinMarks<LaidEdge, SVGPathElement>(root, 'path', edges, 'edge', 'edges')
    .attr('d', path)
    .attr('stroke-width', (e) => strokeWidth(Math.abs(e.score)))
    .attr('marker-end', 'url(#arrow)');
  describe(links, tip, (e) => [`${names[e.source]} \u2192 ${names[e.target]}`, `score ${formatNumber(e.score, 3)}`]);
  if (edges.length <= 24) {
    const labelled = root
      .append('g')
      .attr('class', 'edge-labels')
      .attr('aria-hidden', 'true')
      .selectAll('text')
      .data(edges)
      .join('text')
      .attr('class', 'edge-label')
      .attr('text-anchor', 'middle')
      .attr('dy', '-0.3em')
      .text((e) => formatNumber(e.score, 2));
    const nodes = links.nodes();
    labelled.each(function (_, k) {
      const node = nodes[k];
      const point = node.getPointAtLength(node.getTotalLength() / 2);
      d3.select(this).attr('x', point.x).attr('y', point.y);
    });
  }
  const boxes = root
    .append('g')
    .attr('class', 'nodes')
    .selectAll<SVGGElement, number>('g')
    .data(names.map((_, v) => v))
    .join('g')
    .attr('class', (v) => `node${sourceFlag[v] ? ' source' : ''}`)
    .attr('transform', (v) => `translate(${nodeX(v)},${nodeY(v)})`);
  boxes
    .append('rect')
    .attr('width', (v) => widths[v])
    .attr('height', boxH)
    .attr('rx', 6);
  boxes
    .append('text')
    .attr('class', 'node-label')
    .attr('x', (v) => widths[v] / 2)
    .attr('y', boxH / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'middle')
    .text((v) => labels[v]);
  describe(boxes, tip, (v) => {
    const into = edges.filter((e) => e.target === v).map((e) => names[e.source]);
    const from = edges.filter((e) => e.source === v).map((e) => names[e.target]);
    return [
      names[v],
      sourceFlag[v] ? 'source task' : 'target task',
      `transfers to: ${from.join(', ') || 'none'}`,
      `receives from: ${into.join(', ') || 'none'}`,
    ];
  });
  const backBelow = edges.some((e) => e.back || layer[e.target] <= layer[e.source]) ? 60 : 0;
  const legend = root.append('g').attr('class', 'legend').attr('transform', 'translate(0,-42)');
  let at = legendItem(legend, 0, 'source task', (s: Group) =>
    s.append('rect').attr('class', 'swatch-source').attr('width', 14).attr('height', 14).attr('rx', 3),
  );
  at += legendItem(legend, at, 'target task', (s: Group) =>
    s.append('rect').attr('class', 'swatch-target').attr('width', 14).attr('height', 14).attr('rx', 3),
  );
  at += legendItem(legend, at, 'transfer (width = score)', (s: Group) =>
    s
      .append('line')
      .attr('class', 'edge')
      .attr('x1', 0)
      .attr('x2', 14)
      .attr('y1', 7)
      .attr('y2', 7)
      .attr('stroke-width', 2.5),
  );
  sizeSvg(svg, margin.left + Math.max(innerW, at) + margin.right, margin.top + innerH + backBelow + margin.bottom);
}
