/**
 * The affinity heatmap in print: the page's cells, labels and dendrogram laid out to a column or page width. When
 * the task labels cannot fit one per row (above about 30 tasks, fewer at column width), the tasks are summarised by
 * clusters of the dendrogram: one block per pair of clusters, coloured by its mean gain (the clusters' members and
 * the strongest cells are listed in the paper's tables).
 */
import * as d3 from 'd3';
import { blockMeans, cutDendrogram, SUMMARY_ABOVE, type Block, type TaskCluster } from './clusters.js';
import { FIGURE_SIZES, figureSvg, finishFigure, flowLegend, type FigureSize, type LegendEntry } from './figure.js';
import { formatPercent, levelText } from './format.js';
import {
  dendrogramPaths,
  hatchLines,
  displayPosition,
  drawAxisLabels,
  drawCells,
  drawDendrogram,
  gainColor,
  heatCells,
  type CellText,
} from './heatmap.js';
import { fitText, lineHeight, textWidth } from './metrics.js';
import { INK, interpolateGain } from './palette.js';
import { axisTitle, type Group, type Svg } from './svg.js';
import type { HeatmapData } from '../views/heatmap.js';
import { DEFAULT_FDR } from '../../options/inferenceDefaults.js';

/** Clusters of the summary at most (fewer when the width cannot label them). */
const MAX_CLUSTERS = 16;

/** The sizes of a print heatmap of `n` rows labelled by `labels` at `size`. */
function layout(n: number, labels: string[], size: FigureSize, dendrogram: boolean) {
  const f = size.small;
  const labelWidth = Math.max(0, ...labels.map((l) => textWidth(l, f)));
  const title = lineHeight(f) + 2;
  const gap = 3;
  const dendroWidth = dendrogram ? Math.min(48, size.width * 0.09) : 0;
  const left = title + labelWidth + gap;
  const right = dendroWidth + (dendroWidth ? 4 : 2);
  // Cells no larger than three lines of text: a few tasks make a compact figure, not a page of colour.
  const cell = Math.min((size.width - left - right) / n, 3.2 * lineHeight(f));
  const matrix = cell * n;
  return {
    f,
    labelWidth,
    title,
    gap,
    dendroWidth,
    left,
    top: title + labelWidth + gap,
    matrix,
    cell,
    width: left + matrix + right,
  };
}

/** Labels of at most 28% of the width (cut with an ellipsis; full names are in the tables). */
const fitLabels = (names: string[], size: FigureSize): string[] =>
  names.map((n) => fitText(n, size.width * 0.28, size.small));

/** Whether every task gets its own readable row and column at this width. */
export function heatmapFitsOneRowPerTask(data: HeatmapData, size: FigureSize): boolean {
  const T = data.tasks.length;
  return T <= SUMMARY_ABOVE && layout(T, fitLabels(data.tasks, size), size, T > 2).cell >= lineHeight(size.small);
}

/** The colour ramp and its ticks at (0, y), `width` wide; returns its height. */
function drawRamp(
  svg: Svg,
  g: Group,
  color: (v: number) => string,
  extent: number,
  width: number,
  small: number,
): number {
  const gradient = svg.append('defs').append('linearGradient').attr('id', 'gain-ramp');
  d3.range(0, 1.0001, 0.1).forEach((t) =>
    gradient
      .append('stop')
      .attr('offset', `${t * 100}%`)
      .attr('stop-color', color(-extent + 2 * extent * t)),
  );
  g.append('rect')
    .attr('width', width)
    .attr('height', 8)
    .attr('fill', 'url(#gain-ramp)')
    .attr('stroke', INK.rule)
    .attr('stroke-width', 0.5);
  const ramp = d3.scaleLinear().domain([-extent, extent]).range([0, width]);
  const format = (v: number): string => formatPercent(v, extent < 0.02 ? 1 : 0);
  // The most ticks whose labels keep 4 px apart.
  const ticks = [8, 6, 5, 4, 3, 2]
    .map((n) => ramp.ticks(n))
    .find(
      (t) => t.length < 2 || width / (t.length - 1) >= Math.max(...t.map((v) => textWidth(format(v), small))) + 4,
    ) ?? [0];
  g.append('g')
    .attr('class', 'legend-axis')
    .attr('transform', 'translate(0,8)')
    .call(
      d3
        .axisBottom(ramp)
        .tickValues(ticks)
        .tickSize(3)
        .tickFormat((v) => format(Number(v))),
    );
  return 24;
}

/** The keys under the ramp: hatching, signs, outline; `summary` for the cluster blocks. */
function markEntries(data: HeatmapData, summary: boolean): LegendEntry[] {
  const box = (g: Group): void => {
    g.append('rect').attr('width', 12).attr('height', 12).attr('fill', '#f7f7f7').attr('stroke', INK.rule);
  };
  const sign = (label: string, glyph: string): LegendEntry => ({
    label,
    swatch: (g) => {
      box(g);
      g.append('text')
        .attr('class', 'cell-sign')
        .attr('x', 6)
        .attr('y', 6)
        .attr('dy', '0.35em')
        .attr('text-anchor', 'middle')
        .text(glyph);
    },
  });
  if (summary) return [sign('+/\u2212: cells mostly help/hurt', '+')];
  return [
    {
      label: `${levelText(data.level)} interval includes 0`,
      swatch: (g) => {
        box(g);
        g.append('path').attr('class', 'uncertain').attr('d', hatchLines(12, 4));
      },
    },
    sign('+/\u2212: interval excludes 0', '\u2212'),
    ...(data.verdicts
      ? [
          {
            label: `significant (FDR ${Math.round((data.fdr ?? DEFAULT_FDR) * 100)}%)`,
            swatch: (g: Group) => {
              g.append('rect')
                .attr('x', 0.75)
                .attr('y', 0.75)
                .attr('width', 10.5)
                .attr('height', 10.5)
                .attr('fill', '#f7f7f7')
                .attr('stroke', '#111')
                .attr('stroke-width', 1.5);
            },
          },
        ]
      : []),
  ];
}

/** Ramp and keys from y, across the width; returns the bottom. */
function drawHeatLegend(
  svg: Svg,
  y: number,
  color: (v: number) => string,
  extent: number,
  entries: LegendEntry[],
  width: number,
  size: FigureSize,
): number {
  // Inset by half a tick label, so the end ticks stay inside the figure.
  const inset = textWidth('\u22129.9%', size.small) / 2 + 1;
  const legend = svg.append('g').attr('class', 'legend').attr('transform', `translate(${inset},${y})`);
  const rampWidth = Math.min(150, (width - 2 * inset) * 0.42);
  legend.append('text').attr('class', 'small').attr('y', -3).text('gain of the row task');
  const rampHeight = drawRamp(svg, legend, color, extent, rampWidth, size.small);
  const keysWidth = width - inset - rampWidth - 24;
  const keys = legend.append('g');
  if (keysWidth >= 150) {
    keys.attr('transform', `translate(${rampWidth + 18},0)`);
    return y + Math.max(rampHeight, flowLegend(keys, entries, keysWidth, size).height) + 2;
  }
  keys.attr('transform', `translate(${-inset + 2},${rampHeight + 4})`);
  return y + rampHeight + 4 + flowLegend(keys, entries, width - 4, size).height + 2;
}

/** One row and column per task: cells with signs or values, labels, dendrogram, legend. */
function drawFullHeatmap(container: Element, data: HeatmapData, size: FigureSize): void {
  const T = data.tasks.length;
  const labels = fitLabels(data.tasks, size);
  const L = layout(T, labels, size, T > 2);
  const svg = figureSvg(
    container,
    size,
    'Task affinity',
    `Gain of each row task from training with each column task, ${T} tasks in dendrogram order.`,
  );
  const cells = heatCells(data);
  const position = displayPosition(data.order);
  const { color, extent } = gainColor(cells);
  const root = svg.append('g').attr('transform', `translate(${L.left},${L.top + 2})`);
  axisTitle(root, L.matrix / 2, -L.top + L.f * 0.9, 'helping task (column)');
  axisTitle(root, -L.left + L.f * 0.9, L.matrix / 2, 'helped task (row)', true);
  drawAxisLabels(root, data.order, labels, L.cell, { gap: L.gap, angle: -90 });
  const valueFits = L.cell >= textWidth('\u221299.9', size.small) + 4;
  const text: CellText = valueFits ? 'value' : L.cell >= size.small ? 'sign' : 'none';
  drawCells(root, cells, position, L.cell, color, '', text);
  if (L.dendroWidth && data.merges.length)
    drawDendrogram(
      root,
      dendrogramPaths(data.merges, T, (t) => position[t] * L.cell + L.cell / 2, L.dendroWidth),
      L.matrix + 3,
    );
  const width = Math.max(L.width, Math.min(size.width, 300));
  const bottom = drawHeatLegend(svg, L.top + 2 + L.matrix + 14, color, extent, markEntries(data, false), width, size);
  finishFigure(svg, width, bottom);
}

/** The block of each pair of clusters as a heat cell (its sign when 10% more of its cells help than hurt, or the reverse). */
function blockSign(b: Block): string {
  if (!b.cells) return '';
  const lean = (b.helps - b.hurts) / b.cells;
  return lean >= 0.1 ? '+' : lean <= -0.1 ? '\u2212' : '';
}

/** How many clusters the width can label (two lines of the small font per block at least). */
export function summaryClusterCount(data: HeatmapData, size: FigureSize): number {
  const probe = ['C16 (999)'];
  const L = layout(MAX_CLUSTERS, probe, size, true);
  return Math.max(2, Math.min(MAX_CLUSTERS, data.tasks.length, Math.floor(L.matrix / (lineHeight(size.small) * 1.6))));
}

/** The clusters the summary draws at both sizes: as many as the column width can label (the paper lists them). */
export const summaryClusters = (data: HeatmapData): TaskCluster[] =>
  cutDendrogram(data, summaryClusterCount(data, FIGURE_SIZES.column));

/** Clusters × clusters blocks coloured by mean gain, labelled "C1 (n)". */
function drawSummaryHeatmap(container: Element, data: HeatmapData, size: FigureSize): void {
  const clusters = summaryClusters(data);
  const labels = clusters.map((c) => `C${c.id} (${c.members.length})`);
  const L = layout(clusters.length, labels, size, false);
  const blocks = blockMeans(data, clusters);
  const svg = figureSvg(
    container,
    size,
    'Task affinity by cluster',
    `${data.tasks.length} tasks in ${clusters.length} clusters of the dendrogram; each block is the mean gain of the row cluster's tasks from the column cluster's.`,
  );
  const extent =
    d3.max(
      blocks.filter((b) => b.row !== b.column || clusters[b.row].members.length > 1),
      (b) => Math.abs(b.mean ?? 0),
    ) || 0.01;
  const color = d3.scaleDiverging<string>(interpolateGain).domain([-extent, 0, extent]);
  const root = svg.append('g').attr('transform', `translate(${L.left},${L.top + 2})`);
  axisTitle(root, L.matrix / 2, -L.top + L.f * 0.9, 'helping cluster (column)');
  axisTitle(root, -L.left + L.f * 0.9, L.matrix / 2, 'helped cluster (row)', true);
  drawAxisLabels(root, d3.range(clusters.length), labels, L.cell, { gap: L.gap, angle: -90 });
  const cell = root
    .append('g')
    .attr('class', 'blocks')
    .selectAll('g')
    .data(blocks)
    .join('g')
    .attr('class', 'block')
    .attr('transform', (b) => `translate(${b.column * L.cell},${b.row * L.cell})`);
  cell
    .append('rect')
    .attr('width', L.cell)
    .attr('height', L.cell)
    .attr('fill', (b) => (b.mean === null ? INK.diagonal : color(b.mean)))
    .attr('stroke', '#fff')
    .attr('stroke-width', 0.5);
  cell
    .filter((b) => blockSign(b) !== '')
    .append('text')
    .attr('class', 'cell-sign')
    .attr('x', L.cell / 2)
    .attr('y', L.cell / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'middle')
    .style('fill', (b) => (d3.lab(color(b.mean ?? 0)).l < 58 ? '#fff' : '#1b1b1b'))
    .text(blockSign);
  const width = Math.max(L.width, Math.min(size.width, 300));
  const bottom = drawHeatLegend(svg, L.top + 2 + L.matrix + 14, color, extent, markEntries(data, true), width, size);
  finishFigure(svg, width, bottom);
}

export function drawHeatmapFigure(container: Element, data: HeatmapData, size: FigureSize): void {
  if (heatmapFitsOneRowPerTask(data, size)) drawFullHeatmap(container, data, size);
  else drawSummaryHeatmap(container, data, size);
}
