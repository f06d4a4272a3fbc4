/**
 * Proxy agreement in print: one small panel per proxy, its estimate (x) against the sweep's gain (y). Beyond a few
 * thousand pairs the dots become a density grid (darker: more pairs), so the file stays small.
 */
import * as d3 from 'd3';
import { figureSvg, finishFigure, type FigureSize } from './figure.js';
import { formatFixed, formatPercent, isFiniteNumber, scaledTicks } from './format.js';
import { fitText, lineHeight, textWidth } from './metrics.js';
import { SERIES_COLOR } from './palette.js';
import { drawDensity, paddedDomain } from './density.js';
import { axisTitle, plotAxes, type Group } from './svg.js';
import type { ProxyAgreement } from '../html/input.js';
import type { ProxiesView, ProxyView } from '../views/proxies.js';

type Point = ProxyAgreement['points'][number] & { truth: number; estimate: number };

/** Proxies with agreement points (those compared with a sweep). */
export const comparedProxies = (data: ProxiesView): ProxyView[] =>
  data.proxies.filter((p) => p.density || p.points.some((q) => isFiniteNumber(q.truth) && isFiniteNumber(q.estimate)));

function panel(root: Group, proxy: ProxyView, width: number, height: number, size: FigureSize): void {
  const line = lineHeight(size.small);
  const points = proxy.points.filter((p): p is Point => isFiniteNumber(p.truth) && isFiniteNumber(p.estimate));
  const y = d3.scaleLinear().domain(proxy.density?.y ?? paddedDomain(points.map((p) => p.truth)));
  const yTicks = y.ticks(4);
  const ySpan = Math.abs(y.domain()[1] - y.domain()[0]);
  const yFormat = (v: number): string => formatPercent(v, ySpan < 0.04 ? 1 : 0);
  // Room for the vertical title, the tick labels (tick 6 px, gap 3 px) and half a line above the top tick.
  const left = line + Math.max(...yTicks.map((v) => textWidth(yFormat(v), size.small))) + 12;
  const margin = { top: 2.5 * line + 6, right: 8, bottom: 2 * line + 8, left };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  y.range([innerH, 0]);
  const x = d3
    .scaleLinear()
    .domain(proxy.density?.x ?? paddedDomain(points.map((p) => p.estimate)))
    .range([0, innerW]);
  const xTicks = scaledTicks(x.domain());
  const xCount = Math.max(2, Math.floor(innerW / (textWidth('\u22120.000', size.small) + 6)));
  const g = root.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  g.append('text')
    .attr('class', 'small panel-title')
    .attr('x', -margin.left + 2)
    .attr('y', -margin.top + line / 2 + 1)
    .attr('dy', '0.35em')
    .text(fitText(proxy.proxy, width - 4, size.small, true));
  g.append('text')
    .attr('class', 'small')
    .attr('x', -margin.left + 2)
    .attr('y', -margin.top + 1.5 * line + 2)
    .attr('dy', '0.35em')
    .text(
      fitText(
        `Spearman \u03c1 = ${formatFixed(proxy.spearman)}, ${proxy.density?.points ?? points.length} pairs`,
        width - 4,
        size.small,
      ),
    );
  plotAxes(
    g,
    d3
      .axisBottom(x)
      .ticks(xCount)
      .tickSize(3)
      .tickFormat((v) => xTicks.format(Number(v))),
    y,
    4,
    yFormat,
    innerW,
    innerH,
  );
  axisTitle(g, innerW / 2, innerH + 2 * line + 4, fitText(`estimate${xTicks.unit}`, innerW, size.small));
  axisTitle(g, -margin.left + line * 0.8, innerH / 2, 'gain', true);
  if (proxy.density) drawDensity(g, proxy.density, innerW, innerH, SERIES_COLOR.predicted);
  g.append('g')
    .selectAll('circle')
    .data(points)
    .join('circle')
    .attr('class', 'dot')
    .attr('cx', (p) => x(p.estimate))
    .attr('cy', (p) => y(p.truth))
    .attr('r', 1.8);
}

export function drawProxiesFigure(container: Element, data: ProxiesView, size: FigureSize): void {
  const proxies = comparedProxies(data);
  const svg = figureSvg(
    container,
    size,
    'Cheap proxies against the sweep',
    `${proxies.length} proxies: each estimate against the gain the sweep measured, one point per ordered task pair.`,
  );
  const columns = Math.min(proxies.length, size.name === 'column' ? 2 : 3);
  const width = size.width / columns;
  const height = Math.min(width * 0.9, 200);
  proxies.forEach((proxy, k) =>
    panel(
      svg.append('g').attr('transform', `translate(${(k % columns) * width},${Math.floor(k / columns) * height})`),
      proxy,
      width,
      height,
      size,
    ),
  );
  finishFigure(svg, size.width, Math.ceil(proxies.length / columns) * height);
}
