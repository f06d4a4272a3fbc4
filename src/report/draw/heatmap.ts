/** The affinity heatmap: cells ordered by the dendrogram, significance marks, the dendrogram and the legend. */
import * as d3 from 'd3';
import { excludesZeroAt, sourceAt, verdictAt } from './compact.js';
import { formatInterval, formatPercent, levelText, truncate } from './format.js';
import { describe, tooltip } from './interact.js';
import { INK, interpolateGain } from './palette.js';
import {
  axisTitle,
  createSvg,
  hatchPattern,
  joinMarks,
  legendItem,
  measureTexts,
  sizeSvg,
  type Group,
  type Svg,
} from './svg.js';
import type { HeatmapData } from '../views/heatmap.js';
import { DEFAULT_FDR } from '../../options/inferenceDefaults.js';

export interface HeatCell {
  i: number;
  j: number;
  mean: number | null;
  low: number | null;
  high: number | null;
  /** The interval includes zero (or is unknown): not distinguishable from no effect. */
  uncertain: boolean;
  verdict: string | null;
  p: number | null;
  /** Where the number comes from when an allocation trained only some pairs (measured, approximated, predicted). */
  source: string | null;
  /** Seeds that trained the pair in full. */
  seeds: number | null;
}

/** A finite entry of a JSON matrix, else null. */
const entry = (m: (number | null)[][] | undefined, i: number, j: number): number | null => {
  const v = m?.[i]?.[j];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** Every ordered pair (the diagonal included) as a cell with its interval, verdict and p-value. */
export function heatCells(data: HeatmapData): HeatCell[] {
  const T = data.tasks.length;
  const cells: HeatCell[] = [];
  for (let i = 0; i < T; i++)
    for (let j = 0; j < T; j++) {
      const low = entry(data.low, i, j);
      const high = entry(data.high, i, j);
      const excludesZero = data.intervals
        ? excludesZeroAt(data.intervals, i, j) === true
        : low !== null && high !== null && (low > 0 || high < 0);
      cells.push({
        i,
        j,
        mean: entry(data.mean, i, j),
        low,
        high,
        uncertain: i !== j && !excludesZero,
        verdict: verdictAt(data.verdicts, i, j),
        p: entry(data.pValue, i, j),
        source: sourceAt(data.sources, i, j),
        seeds: entry(data.seeds, i, j),
      });
    }
  return cells;
}

/** position[task] = its place in the display order. */
export function displayPosition(order: number[]): number[] {
  const position = new Array<number>(order.length);
  order.forEach((task, k) => {
    position[task] = k;
  });
  return position;
}

/** The diverging colour scale, symmetric around 0 at the largest off-diagonal |gain|; returns it with that extent. */
export function gainColor(cells: HeatCell[]): { color: d3.ScaleDiverging<string>; extent: number } {
  const offDiagonal = cells.filter((c) => c.i !== c.j && c.mean !== null).map((c) => Math.abs(c.mean as number));
  const extent = d3.max(offDiagonal) || 0.01;
  return { color: d3.scaleDiverging<string>(interpolateGain).domain([-extent, 0, extent]), extent };
}

/** A significant cell: its paired test said helps or hurts. */
export const significant = (c: HeatCell): boolean => c.verdict === 'helps' || c.verdict === 'hurts';

/** The tooltip of one cell: the gain with its interval, what the interval says, and the paired test. */
export function cellLines(data: HeatmapData, c: HeatCell): string[] {
  const level = levelText(data.level);
  const target = data.tasks[c.i];
  const source = data.tasks[c.j];
  if (c.i === c.j) return [`${target}`, 'same task (no pair)'];
  // a page of many tasks knows only whether each interval excludes zero (views/heatmap.ts heatmapData)
  const known = data.intervals ? excludesZeroAt(data.intervals, c.i, c.j) !== null : c.low !== null && c.high !== null;
  const elsewhere = data.intervals ? ' (its bounds and p-value: affinity.csv)' : '';
  const out = [
    `${source} helps ${target}: ${formatPercent(c.mean)}${data.intervals ? '' : ` ${formatInterval(c.low, c.high)}`}`,
    !known
      ? `${level} interval not available (too few replications)`
      : c.uncertain
        ? `${level} interval includes 0: not distinguishable from no effect${elsewhere}`
        : `${level} interval excludes 0${elsewhere}`,
  ];
  if (c.source === 'measured' && c.seeds !== null) out.push(`measured: trained in full on ${c.seeds} seed(s)`);
  else if (c.source === 'approximated') out.push('approximated from short runs (not trained in full)');
  else if (c.source === 'predicted')
    out.push('predicted by the gain predictor from the measured cells (never trained)');
  if (data.intervals && c.verdict) out.push(`paired test: ${c.verdict}`);
  else if (c.p !== null || c.verdict)
    out.push(
      `paired test: p = ${c.p === null ? 'n/a' : c.p < 0.001 ? '< 0.001' : c.p.toFixed(3)}${c.verdict ? `, verdict: ${c.verdict}` : ''}`,
    );
  return out;
}

type Labels = d3.Selection<SVGTextElement, number, SVGGElement, unknown>;

/**
 * Row labels to the left of the matrix and column labels above it, rotated by `angle` (−45° on the page, −90° in
 * print), `gap` pixels from the matrix, in display order (`columns`: other tasks than the rows').
 */
export function drawAxisLabels(
  root: Group,
  order: number[],
  labels: string[],
  cell: number,
  { gap = 8, angle = -45, columns = order }: { gap?: number; angle?: number; columns?: number[] } = {},
): [Labels, Labels] {
  const rows = root
    .append('g')
    .selectAll<SVGTextElement, number>('text')
    .data(order)
    .join('text')
    .attr('class', 'axis-label')
    .attr('x', -gap)
    .attr('y', (_, k) => k * cell + cell / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .text((t) => labels[t]);
  const columnLabels = root
    .append('g')
    .selectAll<SVGTextElement, number>('text')
    .data(columns)
    .join('text')
    .attr('class', 'axis-label')
    .attr('transform', (_, k) => `translate(${k * cell + cell / 2},${-gap}) rotate(${angle})`)
    .attr('dy', angle === -90 ? '0.35em' : null)
    .attr('text-anchor', 'start')
    .text((t) => labels[t]);
  return [rows, columnLabels];
}

export type CellMarks = d3.Selection<SVGGElement, HeatCell, SVGGElement, unknown>;

/** Diagonal lines `spacing` apart across a `side` × `side` square, as one path (hatching without a pattern fill). */
export function hatchLines(side: number, spacing: number): string {
  const parts: string[] = [];
  for (let d = spacing; d < 2 * side; d += spacing) {
    const [x0, y0] = d <= side ? [0, d] : [d - side, side];
    const [x1, y1] = d <= side ? [d, 0] : [side, d - side];
    parts.push(`M${x0.toFixed(2)},${y0.toFixed(2)}L${x1.toFixed(2)},${y1.toFixed(2)}`);
  }
  return parts.join('');
}

/** What a cell shows besides its colour: its value (large cells), else the sign of a gain whose interval excludes 0. */
export type CellText = 'value' | 'sign' | 'none';

/** The sign of a gain whose interval excludes zero ('+' or '−'), else ''. */
export const cellSign = (c: HeatCell): string =>
  c.i === c.j || c.uncertain || c.mean === null ? '' : c.mean > 0 ? '+' : '\u2212';

/**
 * One group per cell at its display position: the colour swatch, hatching where the interval includes zero (the
 * pattern `hatch`, or with '' lines drawn in the cell, which print compactly), an outline where the paired test is
 * significant, and its value or sign (so the sign survives greyscale printing).
 */
export function drawCells(
  root: Group,
  cells: HeatCell[],
  position: number[] | { row: number[]; column: number[] },
  cell: number,
  color: (v: number) => string,
  hatch: string,
  text: CellText,
): CellMarks {
  const { row, column } = Array.isArray(position) ? { row: position, column: position } : position;
  const group = joinMarks<HeatCell, SVGGElement>(root, 'g', cells, 'cell', 'cells').attr(
    'transform',
    (c) => `translate(${column[c.j] * cell},${row[c.i] * cell})`,
  );
  const fill = (c: HeatCell): string => (c.i === c.j ? INK.diagonal : c.mean === null ? '#d9d9d9' : color(c.mean));
  const outline = Math.min(2.5, Math.max(1, cell / 12));
  group
    .append('rect')
    .attr('class', 'swatch')
    .attr('width', cell)
    .attr('height', cell)
    .attr('fill', fill)
    .attr('stroke', '#fff')
    .attr('stroke-width', Math.min(1, cell / 16));
  const uncertain = group.filter((c) => c.uncertain);
  if (hatch)
    uncertain
      .append('rect')
      .attr('class', 'uncertain')
      .attr('width', cell)
      .attr('height', cell)
      .attr('fill', hatch)
      .attr('pointer-events', 'none');
  else uncertain.append('path').attr('class', 'uncertain').attr('d', hatchLines(cell, 5));
  group
    .filter(significant)
    .append('rect')
    .attr('class', 'significant')
    .attr('x', outline / 2 + 0.5)
    .attr('y', outline / 2 + 0.5)
    .attr('width', cell - outline - 1)
    .attr('height', cell - outline - 1)
    .attr('fill', 'none')
    .attr('stroke', '#111')
    .attr('stroke-width', outline);
  // a cell not measured in full (approximated from short runs) carries a small corner triangle
  group
    .filter((c) => c.source === 'approximated')
    .append('path')
    .attr('class', 'not-measured')
    .attr('d', `M${cell - 9},1 L${cell - 1},1 L${cell - 1},9 Z`)
    .attr('fill', '#455a64')
    .attr('pointer-events', 'none');
  // a cell no network trained (the gain predictor's) carries a hollow corner circle
  group
    .filter((c) => c.source === 'predicted')
    .append('circle')
    .attr('class', 'not-measured predicted')
    .attr('cx', cell - 6)
    .attr('cy', 6)
    .attr('r', 3.5)
    .attr('fill', '#fff')
    .attr('stroke', '#455a64')
    .attr('stroke-width', 1.5)
    .attr('pointer-events', 'none');
  const ink = (c: HeatCell): string => (c.i !== c.j && c.mean !== null && d3.lab(fill(c)).l < 58 ? '#fff' : '#1b1b1b');
  if (text === 'value')
    group
      .append('text')
      .attr('class', 'cell-value')
      .attr('x', cell / 2)
      .attr('y', cell / 2)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'middle')
      .style('fill', ink)
      .attr('stroke', fill)
      .attr('font-weight', (c) => (significant(c) ? 700 : 400))
      .text((c) => (c.i === c.j ? '\u2014' : formatPercent(c.mean, 1, '')));
  if (text === 'sign')
    group
      .filter((c) => cellSign(c) !== '')
      .append('text')
      .attr('class', 'cell-sign')
      .attr('x', cell / 2)
      .attr('y', cell / 2)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'middle')
      .style('fill', ink)
      .text(cellSign);
  root
    .append('rect')
    .attr('class', 'frame')
    .attr('width', (d3.max(cells, (c) => column[c.j]) ?? -1) * cell + cell)
    .attr('height', (d3.max(cells, (c) => row[c.i]) ?? -1) * cell + cell)
    .attr('fill', 'none')
    .attr('stroke', '#9aa0a6')
    .attr('stroke-width', 1);
  return group;
}

/** Tooltips on the cells, and their row and column labels highlighted while a cell is hovered or focused. */
export function linkCellsToLabels(data: HeatmapData, group: CellMarks, [rows, columns]: [Labels, Labels]): void {
  describe(group, tooltip(), (c) => cellLines(data, c));
  group
    .on('mouseenter.highlight focus.highlight', (_: Event, c: HeatCell) => {
      rows.classed('active', (t) => t === c.i);
      columns.classed('active', (t) => t === c.j);
    })
    .on('mouseleave.highlight blur.highlight', () => {
      rows.classed('active', false);
      columns.classed('active', false);
    });
}

/**
 * The dendrogram of the display order as elbow paths, leaves at `leafY(task)`, `width` wide. Merge heights are by
 * rank (evenly spaced) rather than by similarity: the order, not the scale, is what matters here.
 */
export function dendrogramPaths(
  merges: HeatmapData['merges'],
  leaves: number,
  leafY: (task: number) => number,
  width: number,
): string[] {
  const x = (k: number): number => 10 + ((k + 1) / merges.length) * (width - 16);
  const nodeX: number[] = [];
  const nodeY: number[] = [];
  for (let t = 0; t < leaves; t++) {
    nodeX[t] = 0;
    nodeY[t] = leafY(t);
  }
  return merges.map((m, k) => {
    const id = leaves + k;
    nodeX[id] = Math.max(x(k), nodeX[m.left] + 2, nodeX[m.right] + 2);
    nodeY[id] = (nodeY[m.left] + nodeY[m.right]) / 2;
    return `M${nodeX[m.left]},${nodeY[m.left]}H${nodeX[id]}V${nodeY[m.right]}H${nodeX[m.right]}`;
  });
}

/** Draws `paths` as the dendrogram group at (x, 0) of `root`. */
export function drawDendrogram(root: Group, paths: string[], x: number): void {
  root
    .append('g')
    .attr('class', 'dendrogram')
    .attr('transform', `translate(${x},0)`)
    .attr('aria-hidden', 'true')
    .selectAll('path')
    .data(paths)
    .join('path')
    .attr('d', (d) => d);
}

/** The colour ramp with its axis and the ends' meaning; returns its width. */
export function drawColorRamp(svg: Svg, legend: Group, color: (v: number) => string, extent: number): number {
  const rampWidth = 220;
  const gradient = svg.append('defs').append('linearGradient').attr('id', 'heat-ramp');
  d3.range(0, 1.0001, 0.1).forEach((t) =>
    gradient
      .append('stop')
      .attr('offset', `${t * 100}%`)
      .attr('stop-color', color(-extent + 2 * extent * t)),
  );
  legend
    .append('text')
    .attr('class', 'legend-title')
    .attr('y', 0)
    .text('gain of the row task (Standley: 1 \u2212 L pair / L alone)');
  legend
    .append('rect')
    .attr('y', 10)
    .attr('width', rampWidth)
    .attr('height', 12)
    .attr('fill', 'url(#heat-ramp)')
    .attr('stroke', '#9aa0a6');
  const ramp = d3.scaleLinear().domain([-extent, extent]).range([0, rampWidth]);
  legend
    .append('g')
    .attr('class', 'legend-axis')
    .attr('transform', 'translate(0,22)')
    .call(
      d3
        .axisBottom(ramp)
        .ticks(5)
        .tickSize(4)
        .tickFormat((v) => formatPercent(Number(v), extent < 0.02 ? 1 : 0)),
    );
  legend.append('text').attr('class', 'legend-note').attr('x', 0).attr('y', 54).text('\u2190 hurts');
  legend
    .append('text')
    .attr('class', 'legend-note')
    .attr('x', rampWidth)
    .attr('y', 54)
    .attr('text-anchor', 'end')
    .text('helps \u2192');
  return rampWidth;
}

/** Whether some cell's source has `code` (compact.ts: a approximated, p predicted): its key is drawn. */
const hasSource = (data: HeatmapData, code: string): boolean =>
  data.sources?.some((row) => row.includes(code)) ?? false;

/** The keys of the marks (hatching, outline, diagonal) in two rows at (x, 8); returns the wider row's width. */
export function drawMarkKeys(legend: Group, x: number, data: HeatmapData, hatch: string): number {
  const keys = legend.append('g').attr('transform', `translate(${x},8)`);
  const first = legendItem(keys, 0, `${levelText(data.level)} interval includes 0`, (s: Group) => {
    s.append('rect').attr('width', 14).attr('height', 14).attr('fill', '#f7f7f7').attr('stroke', '#9aa0a6');
    s.append('rect').attr('width', 14).attr('height', 14).attr('fill', hatch);
  });
  const second = keys.append('g').attr('transform', 'translate(0,24)');
  let at = 0;
  if (data.verdicts)
    at += legendItem(second, at, `significant at FDR ${Math.round((data.fdr ?? DEFAULT_FDR) * 100)}%`, (s: Group) =>
      s
        .append('rect')
        .attr('x', 1)
        .attr('y', 1)
        .attr('width', 12)
        .attr('height', 12)
        .attr('fill', '#f7f7f7')
        .attr('stroke', '#111')
        .attr('stroke-width', 2.5),
    );
  at += legendItem(second, at, 'same task', (s: Group) =>
    s.append('rect').attr('width', 14).attr('height', 14).attr('fill', '#eceff1').attr('stroke', '#9aa0a6'),
  );
  // the sources' marks, when an allocation left cells that no network trained in full
  const third = keys.append('g').attr('transform', 'translate(0,48)');
  let sourcesAt = 0;
  const blank = (s: Group) =>
    s.append('rect').attr('width', 14).attr('height', 14).attr('fill', '#f7f7f7').attr('stroke', '#9aa0a6');
  if (hasSource(data, 'a'))
    sourcesAt += legendItem(third, sourcesAt, 'approximated (short runs)', (s: Group) => {
      blank(s);
      s.append('path').attr('d', 'M6,1 L13,1 L13,8 Z').attr('fill', '#455a64');
    });
  if (hasSource(data, 'p'))
    sourcesAt += legendItem(third, sourcesAt, 'predicted (never trained)', (s: Group) => {
      blank(s);
      s.append('circle')
        .attr('cx', 9)
        .attr('cy', 5)
        .attr('r', 3)
        .attr('fill', '#fff')
        .attr('stroke', '#455a64')
        .attr('stroke-width', 1.5);
    });
  return Math.max(first, at, sourcesAt);
}

/** The sizes of the heatmap: cell side, label room, dendrogram width and the margins around the matrix. */
export function heatmapLayout(T: number, labelWidth: number) {
  const cell = Math.max(22, Math.min(68, Math.floor(600 / Math.max(T, 1))));
  const dendroWidth = T > 2 ? 84 : 0;
  const diagonal = Math.SQRT1_2;
  return {
    cell,
    text: (cell >= 34 ? 'value' : cell >= 16 ? 'sign' : 'none') as CellText,
    dendroWidth,
    matrix: T * cell,
    margin: {
      top: 34 + labelWidth * diagonal + 12,
      left: 30 + labelWidth + 10,
      right: Math.max(dendroWidth + 16, labelWidth * diagonal - cell / 2 + 12),
    },
  };
}

export function drawHeatmap(container: HTMLElement, data: HeatmapData): void {
  const T = data.tasks.length;
  const cells = heatCells(data);
  const position = displayPosition(data.order);
  const { color, extent } = gainColor(cells);
  const svg = createSvg(
    container,
    'heatmap',
    'Task affinity heatmap',
    `Gain of each row task when trained together with each column task, ${T} tasks ordered by average-linkage clustering; blue helps, orange hurts; hatched cells have a ${levelText(data.level)} interval that includes zero.`,
  );
  const labels = data.tasks.map((n) => truncate(n, 34));
  const labelWidth = Math.max(40, d3.max(measureTexts(svg, labels, 'axis-label')) ?? 40);
  const { cell, text, dendroWidth, matrix, margin } = heatmapLayout(T, labelWidth);
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const hatch = hatchPattern(svg, 'hatch');

  axisTitle(root, matrix / 2, -margin.top + 16, 'helping task (column) \u2192');
  axisTitle(root, -margin.left + 16, matrix / 2, 'helped task (row) \u2192', true);
  const labelMarks = drawAxisLabels(root, data.order, labels, cell);
  const group = drawCells(root, cells, position, cell, color, hatch, text);
  linkCellsToLabels(data, group, labelMarks);
  if (dendroWidth > 0 && data.merges.length)
    drawDendrogram(
      root,
      dendrogramPaths(data.merges, T, (t) => position[t] * cell + cell / 2, dendroWidth),
      matrix + 8,
    );

  const legendTop = matrix + 30;
  const legend = root.append('g').attr('class', 'legend').attr('transform', `translate(0,${legendTop})`);
  const rampWidth = drawColorRamp(svg, legend, color, extent);
  const legendWidth = rampWidth + 36 + drawMarkKeys(legend, rampWidth + 36, data, hatch);
  // a third row of keys (the cells' sources) when an allocation left cells not trained in full
  const keyRows = hasSource(data, 'a') || hasSource(data, 'p') ? 24 : 0;
  sizeSvg(svg, margin.left + Math.max(matrix + margin.right, legendWidth + 8), margin.top + legendTop + 66 + keyRows);
}
