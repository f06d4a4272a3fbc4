/**
 * Client-side helpers shared by the views. Every function exported here, and each section's draw function and
 * helpers (views/registry.ts), runs in the page, not in Node: each is inlined with Function.prototype.toString, so
 * it may only use its arguments, the global `d3`, the DOM and the other inlined functions (never imports with
 * runtime values or module-level constants). Export nothing from this file that is not for the page. Data goes
 * into the DOM through d3's `.text()` and `.attr()` only, never `.html()`.
 */
import type * as D3 from 'd3';

declare const d3: typeof D3;

export type Div = D3.Selection<HTMLDivElement, unknown, null, undefined>;
export type Svg = D3.Selection<SVGSVGElement, unknown, null, undefined>;
export type Group = D3.Selection<SVGGElement, unknown, null, undefined>;

export interface Tooltip {
  show: (event: Event, lines: string[]) => void;
  hide: () => void;
}

/** A gain (fraction) as a signed percentage: 0.0234 → "+2.3%"; null → "n/a". */
export function formatPercent(x: number | null | undefined, digits = 1, unit = '%'): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const text = Math.abs(x * 100).toFixed(digits);
  const zero = Number(text) === 0;
  return `${zero ? '' : x > 0 ? '+' : '\u2212'}${text}${unit}`;
}

/** An interval of gains in percent points without the unit: "[−0.5, +5.1]". */
export function formatInterval(low: number | null | undefined, high: number | null | undefined, digits = 1): string {
  return `[${formatPercent(low, digits, '')}, ${formatPercent(high, digits, '')}]`;
}

/** A loss or score with four significant digits (unicode minus); null → "n/a". */
export function formatNumber(x: number | null | undefined, precision = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return d3.format(`.${precision}~r`)(x);
}

/**
 * Tick labels for a linear axis whose values may be tiny or huge: beyond 10^±3 the ticks are shown in units of a
 * power of ten and `unit` (e.g. " (×10⁻⁵)") goes into the axis title.
 */
export function scaledTicks(domain: number[]): { format: (v: number) => string; unit: string } {
  const largest = Math.max(...domain.map((v) => Math.abs(v)).filter((v) => Number.isFinite(v)), 0);
  const exponent = largest > 0 ? Math.floor(Math.log10(largest)) : 0;
  if (exponent >= -2 && exponent <= 3) return { format: (v) => d3.format('~r')(Number(v.toPrecision(6))), unit: '' };
  const superscript = String(exponent)
    .split('')
    .map((c) => '\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079'['-0123456789'.indexOf(c)])
    .join('');
  const factor = 10 ** exponent;
  return { format: (v) => d3.format('~r')(Number((v / factor).toPrecision(6))), unit: ` (\u00d710${superscript})` };
}

/** A label that fits: longer names are cut with an ellipsis (the full name stays in tooltips and tables). */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}\u2026` : text;
}

/** Widths in pixels of `texts` drawn with the CSS class `className` inside `svg`. */
export function measureTexts(svg: Svg, texts: string[], className: string): number[] {
  const probe = svg.append('g').attr('class', className).attr('aria-hidden', 'true');
  const widths = texts.map((t) => {
    const node = probe.append('text').text(t).node();
    return node ? node.getComputedTextLength() : t.length * 7;
  });
  probe.remove();
  return widths;
}

/** A responsive, labelled SVG: role img with a <title> and <desc> (text only). */
export function createSvg(container: HTMLElement, id: string, title: string, description: string): Svg {
  const svg = d3
    .select(container)
    .append('svg')
    .attr('class', 'chart')
    .attr('role', 'img')
    .attr('aria-labelledby', `${id}-title ${id}-desc`);
  svg.append('title').attr('id', `${id}-title`).text(title);
  svg.append('desc').attr('id', `${id}-desc`).text(description);
  return svg;
}

/** Fixes the drawing size: the SVG scales down with the page but never above its natural size. */
export function sizeSvg(svg: Svg, width: number, height: number): void {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  svg
    .attr('viewBox', `0 0 ${w} ${h}`)
    .attr('width', w)
    .attr('height', h)
    .style('max-width', '100%')
    .style('height', 'auto');
}

/** The one floating tooltip of the page; lines are set as text, the first in bold. */
export function tooltip(): Tooltip {
  let tip = d3.select<HTMLDivElement, unknown>('body > div.tooltip');
  if (tip.empty())
    tip = d3.select('body').append('div').attr('class', 'tooltip').attr('role', 'status').attr('aria-live', 'polite');
  return {
    show(event: Event, lines: string[]) {
      tip
        .selectAll('div')
        .data(lines)
        .join('div')
        .text((d) => d);
      tip.classed('visible', true);
      const node = tip.node();
      if (!node) return;
      let x: number;
      let y: number;
      if (event instanceof MouseEvent) {
        x = event.clientX;
        y = event.clientY;
      } else {
        const box = (event.target as Element).getBoundingClientRect();
        x = box.left + box.width / 2;
        y = box.bottom;
      }
      const { width, height } = node.getBoundingClientRect();
      const left = Math.max(8, Math.min(window.innerWidth - width - 8, x + 14));
      const top = y + 16 + height > window.innerHeight ? y - height - 12 : y + 16;
      tip.style('left', `${left}px`).style('top', `${Math.max(8, top)}px`);
    },
    hide() {
      tip.classed('visible', false);
    },
  };
}

/** Makes an SVG element keyboard-focusable with an accessible label, and shows the tooltip on hover and focus. */
export function describe<E extends D3.BaseType, T, P extends D3.BaseType>(
  selection: D3.Selection<E, T, P, unknown>,
  tip: Tooltip,
  lines: (d: T) => string[],
): void {
  selection
    .attr('tabindex', 0)
    .attr('role', 'img')
    .attr('aria-label', (d) => lines(d).join('; '))
    .on('mouseenter mousemove focus', (event: Event, d) => tip.show(event, lines(d)))
    .on('mouseleave blur', () => tip.hide());
}

/** A small horizontal legend entry: a swatch drawn by `swatch` and its label; returns its width. */
export function legendItem(g: Group, x: number, label: string, swatch: (s: Group) => void): number {
  const item = g.append('g').attr('class', 'legend-item').attr('transform', `translate(${x},0)`);
  const box = item.append('g');
  swatch(box);
  const text = item.append('text').attr('x', 20).attr('y', 11).text(label);
  const node = text.node();
  return 20 + (node ? node.getComputedTextLength() : label.length * 7) + 18;
}

/** An axis title centred at (x, y); a vertical one is rotated to read bottom-up. */
export function axisTitle(g: Group, x: number, y: number, text: string, vertical = false): void {
  const title = g.append('text').attr('class', 'axis-title');
  if (vertical) title.attr('transform', `translate(${x},${y}) rotate(-90)`);
  else title.attr('x', x).attr('y', y);
  title.attr('text-anchor', 'middle').text(text);
}

/** One `tag` element per datum, classed `className`, inside a new group of `parent` (classed `groupClass` when given). */
export function joinMarks<T, E extends D3.BaseType>(
  parent: Group,
  tag: string,
  data: T[],
  className: string,
  groupClass?: string,
): D3.Selection<E, T, SVGGElement, unknown> {
  const group = parent.append('g');
  if (groupClass) group.attr('class', groupClass);
  return group.selectAll<E, T>(tag).data(data).join(tag).attr('class', className) as unknown as D3.Selection<
    E,
    T,
    SVGGElement,
    unknown
  >;
}

/** A plot's horizontal grid lines, its bottom axis `xAxis` at `height`, and its left axis of `y` with `ticks` ticks labelled by `yFormat`. */
export function plotAxes(
  root: Group,
  xAxis: D3.Axis<D3.NumberValue>,
  y: D3.ScaleLinear<number, number>,
  ticks: number,
  yFormat: (v: number) => string,
  width: number,
  height: number,
): void {
  root
    .append('g')
    .attr('class', 'grid')
    .call(
      d3
        .axisLeft(y)
        .ticks(ticks)
        .tickSize(-width)
        .tickFormat(() => ''),
    );
  root.append('g').attr('class', 'axis').attr('transform', `translate(0,${height})`).call(xAxis);
  root
    .append('g')
    .attr('class', 'axis')
    .call(
      d3
        .axisLeft(y)
        .ticks(ticks)
        .tickFormat((v) => yFormat(Number(v))),
    );
}

/** A JSON number that is a real value (NaN and infinities are written as null). */
export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A number with a fixed count of decimals (unicode minus), e.g. a correlation: 0.2 → "0.20"; null → "n/a". */
export function formatFixed(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return d3.format(`.${digits}f`)(x);
}

/** A difference with its sign: 0.0123 → "+0.0123", −0.04 → "−0.04"; null → "n/a". */
export function formatSigned(x: number | null | undefined, precision = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return `${x > 0 ? '+' : ''}${formatNumber(x, precision)}`;
}

/** A mean and its interval: "2.544 [2.471, 2.617]", signed for differences; unknown bounds are left out. */
export function formatSpan(
  i: { mean: number | null; low: number | null; high: number | null } | null | undefined,
  signed = false,
  precision = 4,
): string {
  if (!i) return 'n/a';
  const f = (x: number | null): string => (signed ? formatSigned(x, precision) : formatNumber(x, precision));
  const bounded = isFiniteNumber(i.low) && isFiniteNumber(i.high);
  return bounded ? `${f(i.mean)} [${f(i.low)}, ${f(i.high)}]` : f(i.mean);
}

/** One cell of dataTable: text, chips (e.g. task groups), both as text only. */
export interface TableCell {
  text?: string;
  chips?: string[];
  /** A short marker after the text, e.g. "recommended". */
  badge?: string;
  className?: string;
}

/** A sub-heading inside a view. */
export function viewHeading(container: HTMLElement, text: string): void {
  d3.select(container).append('h3').attr('class', 'view-heading').text(text);
}

/** A paragraph of text inside a view (class `note` unless given). */
export function viewNote(container: HTMLElement, text: string, className = 'note'): void {
  d3.select(container).append('p').attr('class', className).text(text);
}

/**
 * A data table (first column as row headers) with a caption; every cell is set as text. `rowClass` marks rows
 * (e.g. the recommended budget). Returns the table.
 */
export function dataTable(
  container: HTMLElement,
  className: string,
  caption: string,
  columns: { label: string; num?: boolean }[],
  rows: (string | TableCell)[][],
  rowClass?: (k: number) => string | null,
): D3.Selection<HTMLTableElement, unknown, null, undefined> {
  const table = d3
    .select(container)
    .append('div')
    .attr('class', 'table-wrap')
    .append('table')
    .attr('class', `data ${className}`);
  if (caption) table.append('caption').text(caption);
  table
    .append('thead')
    .append('tr')
    .selectAll('th')
    .data(columns)
    .join('th')
    .attr('scope', 'col')
    .attr('class', (c) => (c.num ? 'num' : null))
    .text((c) => c.label);
  const body = table.append('tbody');
  rows.forEach((row, r) => {
    const tr = body.append('tr');
    const mark = rowClass ? rowClass(r) : null;
    if (mark) tr.attr('class', mark);
    row.forEach((raw, k) => {
      const cell: TableCell = typeof raw === 'string' ? { text: raw } : raw;
      const td = tr.append<HTMLTableCellElement>(k === 0 ? 'th' : 'td');
      if (k === 0) td.attr('scope', 'row');
      const classes = [columns[k]?.num ? 'num' : '', cell.className ?? ''].filter((c) => c !== '').join(' ');
      if (classes) td.attr('class', classes);
      if (cell.text !== undefined) td.append('span').text(cell.text);
      for (const chip of cell.chips ?? []) td.append('span').attr('class', 'chip').text(chip);
      if (cell.badge) td.append('span').attr('class', 'badge').text(cell.badge);
    });
  });
  return table;
}
