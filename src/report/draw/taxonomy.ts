/** The directed task taxonomy as a deterministic layered graph: boxes for tasks, arrows for transfers. */
import * as d3 from 'd3';
import { formatNumber, truncate } from './format.js';
import { describe, tooltip } from './interact.js';
import { createSvg, joinMarks, legendItem, measureTexts, sizeSvg, type Group, type Svg } from './svg.js';
import { layoutTaxonomy } from './taxonomyLayout.js';
import type { Taxonomy } from '../html/input.js';

export interface LaidEdge {
  source: number;
  target: number;
  score: number;
  back: boolean;
}

/** The graph by index: node names (ends of edges missing from the nodes added), source flags and edges. */
export function taxonomyGraph(data: Taxonomy) {
  const names = data.nodes.map((d) => d.name);
  const sources = data.nodes.map((d) => Boolean(d.source));
  const index = new Map<string, number>();
  names.forEach((name, k) => index.set(name, k));
  for (const e of data.edges)
    for (const end of [e.source, e.target])
      if (!index.has(end)) {
        index.set(end, names.length);
        names.push(end);
        sources.push(false);
      }
  const edges = data.edges.map((e) => ({ source: index.get(e.source)!, target: index.get(e.target)!, score: e.score }));
  return { names, sources, edges };
}

/** Where each box goes: layers left to right, ranks top to bottom, each layer centred vertically. */
export function boxPositions(
  layer: number[],
  rank: number[],
  widths: number[],
  boxH: number,
  { gap = 110, rowGap = 52 }: { gap?: number; rowGap?: number } = {},
) {
  const layers = (d3.max(layer) ?? 0) + 1;
  const members = d3.range(layers).map((l) => layer.map((_, v) => v).filter((v) => layer[v] === l));
  const layerWidth = members.map((m) => d3.max(m, (v) => widths[v]) ?? 80);
  const layerX: number[] = [0];
  for (let l = 1; l < layers; l++) layerX[l] = layerX[l - 1] + layerWidth[l - 1] + gap;
  const tallest = d3.max(members, (m) => m.length) ?? 1;
  return {
    x: (v: number): number => layerX[layer[v]] + (layerWidth[layer[v]] - widths[v]) / 2,
    y: (v: number): number => (rank[v] + (tallest - members[layer[v]].length) / 2) * rowGap,
    width: layerX[layers - 1] + layerWidth[layers - 1],
    height: (tallest - 1) * rowGap + boxH,
  };
}

type Positions = ReturnType<typeof boxPositions>;

/** A cubic Bézier curve: start, two control points, end. */
export type Curve = [[number, number], [number, number], [number, number], [number, number]];

/**
 * An edge's curve: forward edges as a horizontal S-curve from the source's right side to the target's left side; back
 * and same-layer edges as an arc below the boxes, from the bottom of the source to the bottom of the target.
 */
export function edgeCurve(e: LaidEdge, layer: number[], at: Positions, widths: number[], boxH: number): Curve {
  if (!e.back && layer[e.target] > layer[e.source]) {
    const sx = at.x(e.source) + widths[e.source];
    const sy = at.y(e.source) + boxH / 2;
    const tx = at.x(e.target);
    const ty = at.y(e.target) + boxH / 2;
    const mid = (sx + tx) / 2;
    return [
      [sx, sy],
      [mid, sy],
      [mid, ty],
      [tx - 2, ty],
    ];
  }
  const ax = at.x(e.source) + widths[e.source] / 2;
  const bx = at.x(e.target) + widths[e.target] / 2;
  const ay = at.y(e.source) + boxH;
  const by = at.y(e.target) + boxH + 2;
  const dip = Math.max(ay, by) + 30 + Math.abs(ax - bx) * 0.12;
  return [
    [ax, ay],
    [ax, dip],
    [bx, dip],
    [bx, by],
  ];
}

export const curvePath = ([a, b, c, d]: Curve): string => `M${a}C${b} ${c} ${d}`;

/** The point of the curve at parameter t in [0, 1]. */
export function pointOnCurve([a, b, c, d]: Curve, t: number): [number, number] {
  const u = 1 - t;
  const w = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return [0, 1].map((k) => w[0] * a[k] + w[1] * b[k] + w[2] * c[k] + w[3] * d[k]) as [number, number];
}

/** The arrowhead marker `id` in the svg's defs. */
export function arrowMarker(svg: Svg, id: string): string {
  svg
    .append('defs')
    .append('marker')
    .attr('id', id)
    .attr('viewBox', '0 -5 10 10')
    .attr('refX', 9)
    .attr('markerUnits', 'userSpaceOnUse')
    .attr('markerWidth', 10)
    .attr('markerHeight', 10)
    .attr('orient', 'auto')
    .append('path')
    .attr('d', 'M0,-4L10,0L0,4Z')
    .attr('fill', '#4a5568');
  return `url(#${id})`;
}

type Links = d3.Selection<SVGPathElement, LaidEdge, SVGGElement, unknown>;

/** The edges, their width by |score|. */
export function drawEdges(
  root: Group,
  edges: LaidEdge[],
  path: (e: LaidEdge, k: number) => string,
  arrow: string,
): Links {
  const strongest = d3.max(edges, (e) => Math.abs(e.score)) || 1;
  const strokeWidth = d3.scaleLinear().domain([0, strongest]).range([1, 4.5]);
  return joinMarks<LaidEdge, SVGPathElement>(root, 'path', edges, 'edge', 'edges')
    .attr('d', path)
    .attr('stroke-width', (e) => strokeWidth(Math.abs(e.score)))
    .attr('marker-end', arrow);
}

/** An axis-aligned rectangle [x0, y0, x1, y1]. */
export type Rect = [number, number, number, number];

const intersects = (a: Rect, b: Rect): boolean => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/** Where along its curve a label may sit, best first: the middle, then outwards. */
const ALONG = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85];

export interface EdgeLabel {
  text: string;
  /** Centre of the label and its text's size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Each edge's score centred on its curve, clear of `obstacles` (the boxes) and of the labels placed before it
 * (strongest edges first): the first free spot of ALONG. An edge with no free spot gets no label (its score stays in
 * its tooltip and in taxonomy.json). `size` measures a label's text.
 */
export function placeEdgeLabels(
  edges: LaidEdge[],
  curves: Curve[],
  size: (text: string) => { width: number; height: number },
  obstacles: Rect[],
): EdgeLabel[] {
  const order = edges.map((_, k) => k).sort((a, b) => Math.abs(edges[b].score) - Math.abs(edges[a].score) || a - b);
  const taken: Rect[] = [...obstacles];
  return order.flatMap((k) => {
    const text = formatNumber(edges[k].score, 2);
    const { width, height } = size(text);
    for (const t of ALONG) {
      const [x, y] = pointOnCurve(curves[k], t);
      const rect: Rect = [x - width / 2 - 1, y - height / 2 - 1, x + width / 2 + 1, y + height / 2 + 1];
      if (taken.some((r) => intersects(r, rect))) continue;
      taken.push(rect);
      return [{ text, x, y, width, height }];
    }
    return [];
  });
}

/** The placed labels, each on a white ground (so the curves under it do not cross its digits). */
export function drawEdgeLabels(root: Group, labels: EdgeLabel[]): void {
  const label = root
    .append('g')
    .attr('class', 'edge-labels')
    .attr('aria-hidden', 'true')
    .selectAll('g')
    .data(labels)
    .join('g')
    .attr('transform', (l) => `translate(${l.x},${l.y})`);
  label
    .append('rect')
    .attr('class', 'edge-label-ground')
    .attr('x', (l) => -l.width / 2 - 1)
    .attr('y', (l) => -l.height / 2)
    .attr('width', (l) => l.width + 2)
    .attr('height', (l) => l.height)
    .attr('rx', 2)
    .attr('fill', '#fff')
    .attr('fill-opacity', 0.9);
  label
    .append('text')
    .attr('class', 'edge-label')
    .attr('text-anchor', 'middle')
    .attr('dy', '0.35em')
    .text((l) => l.text);
}

/** The boxes of the tasks as rectangles, for label placement. */
export const boxRects = (n: number, at: Positions, widths: number[], boxH: number): Rect[] =>
  d3.range(n).map((v): Rect => [at.x(v), at.y(v), at.x(v) + widths[v], at.y(v) + boxH]);

/** One box per task (sources filled), its name centred. */
export function drawBoxes(
  root: Group,
  graph: ReturnType<typeof taxonomyGraph>,
  at: Positions,
  widths: number[],
  labels: string[],
  boxH: number,
) {
  const boxes = root
    .append('g')
    .attr('class', 'nodes')
    .selectAll<SVGGElement, number>('g')
    .data(graph.names.map((_, v) => v))
    .join('g')
    .attr('class', (v) => `node${graph.sources[v] ? ' source' : ''}`)
    .attr('transform', (v) => `translate(${at.x(v)},${at.y(v)})`);
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
  return boxes;
}

/** Source, target and transfer keys in one row; returns its width. */
export function drawTaxonomyLegend(legend: Group): number {
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
  return at;
}

export function drawTaxonomy(container: HTMLElement, data: Taxonomy): void {
  const graph = taxonomyGraph(data);
  const { names, sources } = graph;
  const { layer, rank, back } = layoutTaxonomy(names, sources, graph.edges);
  const edges: LaidEdge[] = graph.edges.map((e, k) => ({ ...e, back: back[k] }));
  const svg = createSvg(
    container,
    'taxonomy',
    'Task taxonomy',
    `Directed graph of ${names.length} tasks and ${edges.length} transfer edges (source to target), laid out in layers from the source tasks.`,
  );
  const labels = names.map((n) => truncate(n, 30));
  const widths = measureTexts(svg, labels, 'node-label').map((w) => w + 26);
  const boxH = 30;
  const at = boxPositions(layer, rank, widths, boxH);
  const margin = { top: 56, left: 16, right: 24, bottom: 24 };
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const arrow = arrowMarker(svg, 'arrow');
  const tip = tooltip();
  const curves = edges.map((e) => edgeCurve(e, layer, at, widths, boxH));
  const links = drawEdges(root, edges, (_, k) => curvePath(curves[k]), arrow);
  describe(links, tip, (e) => [`${names[e.source]} \u2192 ${names[e.target]}`, `score ${formatNumber(e.score, 3)}`]);
  const boxes = drawBoxes(root, graph, at, widths, labels, boxH);
  if (edges.length <= 24) {
    const measure = (text: string) => ({ width: measureTexts(svg, [text], 'edge-label')[0], height: 13 });
    drawEdgeLabels(root, placeEdgeLabels(edges, curves, measure, boxRects(names.length, at, widths, boxH)));
  }
  describe(boxes, tip, (v) => {
    const into = edges.filter((e) => e.target === v).map((e) => names[e.source]);
    const from = edges.filter((e) => e.source === v).map((e) => names[e.target]);
    return [
      names[v],
      sources[v] ? 'source task' : 'target task',
      `transfers to: ${from.join(', ') || 'none'}`,
      `receives from: ${into.join(', ') || 'none'}`,
    ];
  });
  const backBelow = edges.some((e) => e.back || layer[e.target] <= layer[e.source]) ? 60 : 0;
  const legendWidth = drawTaxonomyLegend(
    root.append('g').attr('class', 'legend').attr('transform', 'translate(0,-42)'),
  );
  sizeSvg(
    svg,
    margin.left + Math.max(at.width, legendWidth) + margin.right,
    margin.top + at.height + backBelow + margin.bottom,
  );
}
