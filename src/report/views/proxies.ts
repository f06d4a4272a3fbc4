/** Client-side: proxy estimate against the sweep's gain, one small panel per proxy (see common.ts for the rules). */
import type * as D3 from 'd3';
import { createSvg, describe, formatNumber, formatPercent, scaledTicks, sizeSvg, tooltip, truncate, axisTitle } from './common.js';
import type { ProxyAgreement } from '../html/input.js';

declare const d3: typeof D3;

type Point = ProxyAgreement['points'][number];

export function drawProxies(container: HTMLElement, proxies: ProxyAgreement[]): void {
  const grid = d3.select(container).append('div').attr('class', 'panels');
  const tip = tooltip();
  proxies.forEach((proxy, k) => {
    const panel = grid.append('figure').attr('class', 'panel');
    const rho = proxy.spearman;
    const rhoText = typeof rho === 'number' && Number.isFinite(rho) ? rho.toFixed(2) : 'n/a';
    const svg = createSvg(
      panel.node()!,
      `proxy-${k}`,
      `${proxy.proxy}: estimate against the sweep`,
      `${proxy.points.length} ordered task pairs; Spearman rank correlation ${rhoText}.`,
    );
    const width = 300;
    const height = 250;
    const margin = { top: 44, right: 16, bottom: 44, left: 56 };
    const innerW = width - margin.left - margin.right;
    const innerH = height - margin.top - margin.bottom;
    const points = proxy.points.filter((p) => Number.isFinite(p.truth) && Number.isFinite(p.estimate));
    const domainOf = (values: number[]): [number, number] => {
      const [lo, hi] = d3.extent(values) as [number | undefined, number | undefined];
      if (lo === undefined || hi === undefined) return [-1, 1];
      const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
      return [lo - pad, hi + pad];
    };
    const x = d3.scaleLinear().domain(domainOf(points.map((p) => p.estimate))).range([0, innerW]).nice();
    const y = d3.scaleLinear().domain(domainOf(points.map((p) => p.truth))).range([innerH, 0]).nice();
    const xTicks = scaledTicks(x.domain());
    const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
    root
      .append('text')
      .attr('class', 'panel-title')
      .attr('x', -margin.left + 8)
      .attr('y', -24)
      .text(truncate(proxy.proxy, 36));
    root
      .append('text')
      .attr('class', 'panel-subtitle')
      .attr('x', -margin.left + 8)
      .attr('y', -8)
      .text(`Spearman \u03c1 = ${rhoText}  \u00b7  ${points.length} pairs`);
    root
      .append('g')
      .attr('class', 'grid')
      .call(d3.axisLeft(y).ticks(4).tickSize(-innerW).tickFormat(() => ''));
    root
      .append('g')
      .attr('class', 'axis')
      .attr('transform', `translate(0,${innerH})`)
      .call(d3.axisBottom(x).ticks(4).tickFormat((v) => xTicks.format(Number(v))));
    const ySpan = Math.abs(y.domain()[1] - y.domain()[0]);
    root
      .append('g')
      .attr('class', 'axis')
      .call(d3.axisLeft(y).ticks(4).tickFormat((v) => formatPercent(Number(v), ySpan < 0.04 ? 1 : 0)));
    const [y0, y1] = y.domain();
    if (y0 < 0 && y1 > 0) root.append('line').attr('class', 'zero').attr('x1', 0).attr('x2', innerW).attr('y1', y(0)).attr('y2', y(0));
    axisTitle(root, innerW / 2, innerH + 36, `proxy estimate${xTicks.unit}`);
    axisTitle(root, -44, innerH / 2, 'gain in the sweep', true);
    const dots = root
      .append('g')
      .selectAll<SVGCircleElement, Point>('circle')
      .data(points)
      .join('circle')
      .attr('class', 'dot')
      .attr('cx', (p) => x(p.estimate))
      .attr('cy', (p) => y(p.truth))
      .attr('r', 4);
    describe(dots, tip, (p) => [`${p.source} \u2192 ${p.target}`, `sweep gain ${formatPercent(p.truth)}, ${proxy.proxy} ${formatNumber(p.estimate, 3)}`]);
    sizeSvg(svg, width, height);
  });
}
