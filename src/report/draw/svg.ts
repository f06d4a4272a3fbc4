/** SVG building blocks the views share: the labelled chart, its size, axes, legends and interval whiskers. */
import * as d3 from 'd3';

export type Svg = d3.Selection<SVGSVGElement, unknown, null, undefined>;
export type Group = d3.Selection<SVGGElement, unknown, null, undefined>;

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
export function joinMarks<T, E extends d3.BaseType>(
  parent: Group,
  tag: string,
  data: T[],
  className: string,
  groupClass?: string,
): d3.Selection<E, T, SVGGElement, unknown> {
  const group = parent.append('g');
  if (groupClass) group.attr('class', groupClass);
  return group.selectAll<E, T>(tag).data(data).join(tag).attr('class', className) as unknown as d3.Selection<
    E,
    T,
    SVGGElement,
    unknown
  >;
}

/** A plot's horizontal grid lines, its bottom axis `xAxis` at `height`, and its left axis of `y` with `ticks` ticks labelled by `yFormat`. */
export function plotAxes(
  root: Group,
  xAxis: d3.Axis<d3.NumberValue>,
  y: d3.ScaleLinear<number, number>,
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

/**
 * A vertical interval from `low` to `high` (pixels) with end caps, in each of `groups` (each already translated to its
 * x); `className` styles the three lines.
 */
export function whiskers<T>(
  groups: d3.Selection<d3.BaseType | SVGGElement, T, SVGGElement, unknown>,
  className: string,
  low: (d: T) => number,
  high: (d: T) => number,
  cap = 4,
): void {
  groups.append('line').attr('class', className).attr('y1', low).attr('y2', high);
  for (const end of [low, high])
    groups.append('line').attr('class', className).attr('x1', -cap).attr('x2', cap).attr('y1', end).attr('y2', end);
}

/** A diagonal hatching pattern `id` in `svg`'s defs (marks cells whose interval includes zero); returns its url(). */
export function hatchPattern(svg: Svg, id: string): string {
  svg
    .append('defs')
    .append('pattern')
    .attr('id', id)
    .attr('patternUnits', 'userSpaceOnUse')
    .attr('width', 6)
    .attr('height', 6)
    .attr('patternTransform', 'rotate(45)')
    .append('line')
    .attr('x1', 0)
    .attr('y1', 0)
    .attr('x2', 0)
    .attr('y2', 6)
    .attr('stroke', '#1b1b1b')
    .attr('stroke-opacity', 0.3)
    .attr('stroke-width', 1.6);
  return `url(#${id})`;
}
