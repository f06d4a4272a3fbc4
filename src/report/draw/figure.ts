/**
 * The frame of a print figure (tra paper): its size in CSS pixels at 96 per inch (column 3.3 in, page 7 in), the
 * font sizes in points, a stylesheet inside the SVG (so the file stands alone), and a legend that wraps to the
 * width. Laid out with metrics.ts, so nothing here needs a browser: Node draws it through linkedom.
 */
import * as d3 from 'd3';
import { FIGURE_FONT, fitText, lineHeight, textWidth } from './metrics.js';
import { INK, SERIES_COLOR } from './palette.js';
import type { Group, Svg } from './svg.js';

const PX_PER_PT = 96 / 72;

export interface FigureSize {
  name: 'column' | 'page';
  /** Width in CSS pixels (1/96 in). */
  width: number;
  /** Labels and legends: 8 pt. */
  font: number;
  /** Ticks, cell values and notes: 7 pt. */
  small: number;
}

export const FIGURE_SIZES: Record<FigureSize['name'], FigureSize> = {
  column: { name: 'column', width: 3.3 * 96, font: 8 * PX_PER_PT, small: 7 * PX_PER_PT },
  page: { name: 'page', width: 7 * 96, font: 8 * PX_PER_PT, small: 7 * PX_PER_PT },
};

/** The stylesheet every figure carries: one font stack, 8 pt labels and 7 pt ticks, thin rules. */
export function figureStyle(size: FigureSize): string {
  const f = size.font.toFixed(2);
  const s = size.small.toFixed(2);
  return [
    `text { font-family: ${FIGURE_FONT}; font-size: ${f}px; fill: ${INK.text}; }`,
    `.small, .axis text, .legend-axis text, .cell-value, .cell-sign, .edge-label, .bar-note, .note { font-size: ${s}px; }`,
    `.axis-label { font-size: ${s}px; }`,
    `.axis-title { font-size: ${s}px; fill: ${INK.muted}; }`,
    `.cell-sign { font-weight: 700; }`,
    // No stroked text: Chromium prints it as Type 3 fonts, which publishers refuse.
    '.cell-value { font-variant-numeric: tabular-nums; stroke: none; }',
    `.axis path, .axis line, .legend-axis line { stroke: ${INK.rule}; stroke-width: 0.75px; }`,
    '.legend-axis path { display: none; }',
    `.grid line { stroke: ${INK.faint}; stroke-width: 0.5px; }`,
    '.grid path { display: none; }',
    `path.uncertain { fill: none; stroke: #1b1b1b; stroke-opacity: 0.35; stroke-width: 0.6px; }`,
    `.dendrogram path { fill: none; stroke: ${INK.rule}; stroke-width: 0.8px; }`,
    `.whisker { stroke: #4a5568; stroke-width: 1px; }`,
    `.whisker.predicted { stroke: ${SERIES_COLOR.predicted}; stroke-opacity: 0.6; }`,
    `.line.predicted { fill: none; stroke: ${SERIES_COLOR.predicted}; stroke-width: 1.5px; }`,
    `.point.predicted { fill: ${SERIES_COLOR.predicted}; stroke: #fff; stroke-width: 0.8px; }`,
    `.point.actual { fill: ${SERIES_COLOR.measured}; stroke: #1f2328; stroke-width: 0.6px; }`,
    '.recommended-band { fill: #fdf1d8; }',
    'circle.recommended { fill: none; stroke: #a85d00; stroke-width: 1.2px; stroke-dasharray: 3 2; }',
    `.zero { stroke: #4a5568; stroke-width: 0.75px; stroke-dasharray: 3 2; }`,
    `.edge { fill: none; stroke: #4a5568; stroke-opacity: 0.8; }`,
    `.edge-label { fill: ${INK.muted}; stroke: none; }`,
    `.node rect, .swatch-target { fill: #fff; stroke: ${SERIES_COLOR.predicted}; stroke-width: 1px; }`,
    `.node.source rect, .swatch-source { fill: ${SERIES_COLOR.predicted}; stroke: ${SERIES_COLOR.predicted}; }`,
    '.node.source .node-label { fill: #fff; }',
    `.dot { fill: ${SERIES_COLOR.predicted}; fill-opacity: 0.65; stroke: #fff; stroke-width: 0.4px; }`,
    `.network rect { fill: #f6f8fa; stroke: ${INK.rule}; stroke-width: 0.75px; }`,
    '.panel-title { font-weight: 700; }',
  ].join('\n');
}

/** A standalone SVG in `container` with its <title> and <desc> (text only) and the figure stylesheet. */
export function figureSvg(container: Element, size: FigureSize, title: string, description: string): Svg {
  const svg = d3
    .select(container)
    .append('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('class', `figure ${size.name}`) as unknown as Svg;
  svg.append('title').text(title);
  svg.append('desc').text(description);
  svg.append('style').text(figureStyle(size));
  return svg;
}

/** Fixes the figure's size (CSS pixels, as width/height and viewBox). */
export function finishFigure(svg: Svg, width: number, height: number): void {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  svg.attr('width', w).attr('height', h).attr('viewBox', `0 0 ${w} ${h}`);
}

export interface LegendEntry {
  label: string;
  /** Draws the 12 × 12 swatch at the origin. */
  swatch: (g: Group) => void;
}

/** Legend entries left to right, wrapping at `width`; returns the size used. */
export function flowLegend(
  g: Group,
  entries: LegendEntry[],
  width: number,
  size: FigureSize,
): { width: number; height: number } {
  const row = Math.max(14, lineHeight(size.small) + 3);
  let x = 0;
  let y = 0;
  let used = 0;
  for (const entry of entries) {
    const label = fitText(entry.label, width - 16, size.small);
    const w = 12 + 4 + textWidth(label, size.small) + 10;
    if (x > 0 && x + w > width) {
      x = 0;
      y += row;
    }
    const item = g.append('g').attr('transform', `translate(${x},${y})`);
    entry.swatch(item.append('g'));
    item.append('text').attr('class', 'small').attr('x', 16).attr('y', 6).attr('dy', '0.35em').text(label);
    x += w;
    used = Math.max(used, x - 10);
  }
  return { width: used, height: entries.length ? y + row : 0 };
}
