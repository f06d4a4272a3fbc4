/**
 * The taxonomy in print: the page's layered graph (layout, curves, label placement) fitted to the width. Above
 * SUMMARY_ABOVE tasks a graph of one box per task is unreadable: the figure lists the source tasks instead, each with
 * a bar for the number of targets that transfer from it.
 */
import * as d3 from 'd3';
import { figureSvg, finishFigure, flowLegend, type FigureSize } from './figure.js';
import { SUMMARY_ABOVE } from './clusters.js';
import { fitText, lineHeight, textWidth } from './metrics.js';
import type { Group } from './svg.js';
import {
  arrowMarker,
  boxPositions,
  boxRects,
  curvePath,
  drawBoxes,
  drawEdgeLabels,
  drawEdges,
  edgeCurve,
  placeEdgeLabels,
  taxonomyGraph,
  type LaidEdge,
} from './taxonomy.js';
import { layoutTaxonomy } from './taxonomyLayout.js';
import type { Taxonomy } from '../html/input.js';

/** The smallest gap between layers, for the curves and their labels. */
const MIN_GAP = 28;

function drawGraph(container: Element, data: Taxonomy, size: FigureSize): void {
  const graph = taxonomyGraph(data);
  const { names, sources } = graph;
  const { layer, rank, back } = layoutTaxonomy(names, sources, graph.edges);
  const edges: LaidEdge[] = graph.edges.map((e, k) => ({ ...e, back: back[k] }));
  const svg = figureSvg(
    container,
    size,
    'Task taxonomy',
    `Directed graph of ${names.length} tasks and ${edges.length} transfers (source to target).`,
  );
  const layers = (d3.max(layer) ?? 0) + 1;
  const pad = 5;
  const maxLabel = (size.width - MIN_GAP * (layers - 1)) / layers - 2 * pad;
  const labels = names.map((n) => fitText(n, maxLabel, size.small));
  const widths = labels.map((l) => textWidth(l, size.small) + 2 * pad);
  const boxH = lineHeight(size.small) + 6;
  const layerWidths = d3.range(layers).map((l) => d3.max(widths.filter((_, v) => layer[v] === l)) ?? 0);
  const gap = layers > 1 ? Math.min(110, (size.width - 2 - d3.sum(layerWidths)) / (layers - 1)) : 0;
  const at = boxPositions(layer, rank, widths, boxH, { gap, rowGap: boxH + 12 });
  const legend = svg.append('g').attr('class', 'legend').attr('transform', 'translate(1,1)');
  const { width: legendWidth, height: legendHeight } = flowLegend(
    legend,
    [
      {
        label: 'source task',
        swatch: (g: Group) => {
          g.append('rect').attr('class', 'swatch-source').attr('width', 12).attr('height', 12).attr('rx', 2);
        },
      },
      {
        label: 'target task',
        swatch: (g: Group) => {
          g.append('rect')
            .attr('class', 'swatch-target')
            .attr('x', 0.5)
            .attr('y', 0.5)
            .attr('width', 11)
            .attr('height', 11)
            .attr('rx', 2);
        },
      },
      {
        label: 'transfer (width = score)',
        swatch: (g: Group) => {
          g.append('line')
            .attr('class', 'edge')
            .attr('x1', 0)
            .attr('x2', 12)
            .attr('y1', 6)
            .attr('y2', 6)
            .attr('stroke-width', 2);
        },
      },
    ],
    size.width - 2,
    size,
  );
  const root = svg.append('g').attr('transform', `translate(1,${legendHeight + 8})`);
  const curves = edges.map((e) => edgeCurve(e, layer, at, widths, boxH));
  const arrow = arrowMarker(svg, 'arrow');
  drawEdges(root, edges, (_, k) => curvePath(curves[k]), arrow).attr(
    'stroke-width',
    (e) => 0.6 + 2.4 * (Math.abs(e.score) / (d3.max(edges, (f) => Math.abs(f.score)) || 1)),
  );
  drawBoxes(root, graph, at, widths, labels, boxH);
  root.selectAll('text.node-label').attr('class', 'node-label small');
  const lineH = lineHeight(size.small);
  const measure = (text: string) => ({ width: textWidth(text, size.small), height: lineH });
  drawEdgeLabels(root, placeEdgeLabels(edges, curves, measure, boxRects(names.length, at, widths, boxH)));
  const below = edges.some((e) => e.back || layer[e.target] <= layer[e.source]) ? 44 : 0;
  finishFigure(svg, Math.max(at.width + 2, legendWidth + 2), legendHeight + 8 + at.height + below + 2);
}

/** Many tasks: each source task with the number of targets that take a transfer from it, most first. */
function drawSourceSummary(container: Element, data: Taxonomy, size: FigureSize): void {
  const served = d3.rollup(
    data.edges,
    (v) => new Set(v.map((e) => e.target)).size,
    (e) => e.source,
  );
  const rows = data.nodes
    .filter((n) => n.source)
    .map((n) => ({ name: n.name, targets: served.get(n.name) ?? 0 }))
    .sort((a, b) => b.targets - a.targets || a.name.localeCompare(b.name))
    .slice(0, 30);
  const svg = figureSvg(
    container,
    size,
    'Source tasks of the taxonomy',
    `${rows.length} source tasks of ${data.nodes.length}, each with the number of targets transferring from it.`,
  );
  const line = lineHeight(size.small) + 3;
  const labels = rows.map((r) => fitText(r.name, size.width * 0.4, size.small));
  const labelWidth = Math.max(...labels.map((l) => textWidth(l, size.small))) + 6;
  const countWidth = textWidth('999', size.small) + 6;
  const x = d3
    .scaleLinear()
    .domain([0, d3.max(rows, (r) => r.targets) || 1])
    .range([0, size.width - labelWidth - countWidth - 4]);
  const top = line + 4;
  svg
    .append('text')
    .attr('class', 'small')
    .attr('x', 1)
    .attr('y', line / 2)
    .attr('dy', '0.35em')
    .text(`targets served by each source task (${data.nodes.length} tasks)`);
  const bars = svg
    .selectAll('g.bar')
    .data(rows)
    .join('g')
    .attr('class', 'bar')
    .attr('transform', (_, k) => `translate(0,${top + k * line})`);
  bars
    .append('text')
    .attr('class', 'small')
    .attr('x', labelWidth - 6)
    .attr('y', line / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .text((_, k) => labels[k]);
  bars
    .append('rect')
    .attr('class', 'swatch-source')
    .attr('x', labelWidth)
    .attr('y', 2)
    .attr('height', line - 4)
    .attr('width', (r) => x(r.targets));
  bars
    .append('text')
    .attr('class', 'small')
    .attr('x', (r) => labelWidth + x(r.targets) + 3)
    .attr('y', line / 2)
    .attr('dy', '0.35em')
    .text((r) => String(r.targets));
  finishFigure(svg, size.width, top + rows.length * line + 2);
}

export function drawTaxonomyFigure(container: Element, data: Taxonomy, size: FigureSize): void {
  if (data.nodes.length > SUMMARY_ABOVE) drawSourceSummary(container, data, size);
  else drawGraph(container, data, size);
}
