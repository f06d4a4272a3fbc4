/** Proxy estimates against the sweep's gain: one small scatter panel per proxy, and the grouping each proxy induces. */
import * as d3 from 'd3';
import {
  formatFixed,
  formatNumber,
  formatPercent,
  formatSigned,
  isFiniteNumber,
  scaledTicks,
  truncate,
} from './format.js';
import { describe, tooltip } from './interact.js';
import { axisTitle, createSvg, joinMarks, plotAxes, sizeSvg } from './svg.js';
import { dataTable, viewHeading, viewNote } from './table.js';
import { drawDensity, paddedDomain } from './density.js';
import { SERIES_COLOR } from './palette.js';
import type { ProxyAgreement } from '../html/input.js';
import type { ProxiesView, ProxyView } from '../views/proxies.js';

/** A point the scatter can place: both coordinates finite (an undefined estimate is written as null and left out). */
type Point = ProxyAgreement['points'][number] & { truth: number; estimate: number };

/** One proxy's scatter: estimate (x) against the sweep's gain (y), one focusable dot per ordered pair. */
export function drawProxyPanel(container: HTMLElement, proxy: ProxyView, k: number): void {
  const rho = proxy.spearman;
  const rhoText = typeof rho === 'number' && Number.isFinite(rho) ? rho.toFixed(2) : 'n/a';
  const svg = createSvg(
    container,
    `proxy-${k}`,
    `${proxy.proxy}: estimate against the sweep`,
    `${proxy.density?.points ?? proxy.points.length} ordered task pairs; Spearman rank correlation ${rhoText}.`,
  );
  const width = 300;
  const height = 258;
  const margin = { top: 52, right: 16, bottom: 44, left: 56 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const points = proxy.points.filter((p): p is Point => isFiniteNumber(p.truth) && isFiniteNumber(p.estimate));
  const x = d3
    .scaleLinear()
    .domain(proxy.density?.x ?? paddedDomain(points.map((p) => p.estimate)))
    .range([0, innerW]);
  const y = d3
    .scaleLinear()
    .domain(proxy.density?.y ?? paddedDomain(points.map((p) => p.truth)))
    .range([innerH, 0]);
  const xTicks = scaledTicks(x.domain());
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  root
    .append('text')
    .attr('class', 'panel-title')
    .attr('x', -margin.left + 8)
    .attr('y', -32)
    .text(truncate(proxy.proxy, 36));
  root
    .append('text')
    .attr('class', 'panel-subtitle')
    .attr('x', -margin.left + 8)
    .attr('y', -16)
    .text(`Spearman \u03c1 = ${rhoText}  \u00b7  ${proxy.density?.points ?? points.length} pairs`);
  const ySpan = Math.abs(y.domain()[1] - y.domain()[0]);
  plotAxes(
    root,
    d3
      .axisBottom(x)
      .ticks(4)
      .tickFormat((v) => xTicks.format(Number(v))),
    y,
    4,
    (v) => formatPercent(v, ySpan < 0.04 ? 1 : 0),
    innerW,
    innerH,
  );
  const [y0, y1] = y.domain();
  if (y0 < 0 && y1 > 0)
    root.append('line').attr('class', 'zero').attr('x1', 0).attr('x2', innerW).attr('y1', y(0)).attr('y2', y(0));
  axisTitle(root, innerW / 2, innerH + 36, `proxy estimate${xTicks.unit}`);
  axisTitle(root, -44, innerH / 2, 'gain in the sweep', true);
  if (proxy.density) drawDensity(root, proxy.density, innerW, innerH, SERIES_COLOR.predicted);
  const dots = joinMarks<Point, SVGCircleElement>(root, 'circle', points, 'dot')
    .attr('cx', (p) => x(p.estimate))
    .attr('cy', (p) => y(p.truth))
    .attr('r', 4);
  describe(dots, tooltip(), (p) => [
    `${p.source} \u2192 ${p.target}`,
    `sweep gain ${formatPercent(p.truth)}, ${proxy.proxy} ${formatNumber(p.estimate, 3)}`,
  ]);
  sizeSvg(svg, width, height);
}

export function drawProxies(container: HTMLElement, data: ProxiesView): void {
  const grid = d3.select(container).append('div').attr('class', 'panels');
  data.proxies.forEach((proxy, k) => drawProxyPanel(grid.append('figure').attr('class', 'panel').node()!, proxy, k));
  drawProxyGrouping(container, data);
}

/** Each proxy's grouping priced with the sweep's losses against exact selection, next to the sweep's own numbers. */
export function drawProxyGrouping(container: HTMLElement, data: ProxiesView): void {
  const truth = data.truth?.grouping;
  const withGrouping = data.proxies.filter((p) => p.grouping);
  if (!truth && !withGrouping.length) return;
  const budgets = truth?.budgets ?? [];
  const budgetText = budgets.length
    ? budgets.length > 2 && budgets[budgets.length - 1] - budgets[0] === budgets.length - 1
      ? `${budgets[0]}\u2013${budgets[budgets.length - 1]}`
      : budgets.join(', ')
    : '';
  viewHeading(container, 'Grouping by each proxy');
  const worse = (p: ProxyAgreement): string => {
    const points = (p.grouping?.points ?? []).filter((q) => q.versusSelection && isFiniteNumber(q.versusSelection.low));
    return points.length
      ? `${points.filter((q) => (q.versusSelection!.low as number) > 0).length} of ${points.length}`
      : 'n/a';
  };
  const rows = data.proxies.map((p) => [
    p.proxy,
    formatFixed(p.spearman),
    p.grouping ? formatFixed(p.grouping.meanAri) : 'not defined',
    p.grouping ? formatSigned(p.grouping.meanRegret, 3) : 'not defined',
    p.grouping ? worse(p) : '\u2014',
  ]);
  if (truth?.sweepMatrix)
    rows.push([
      'the sweep\u2019s own matrix',
      '\u2014',
      formatFixed(truth.sweepMatrix.meanAri),
      formatSigned(truth.sweepMatrix.meanRegret, 3),
      '\u2014',
    ]);
  dataTable(
    container,
    'proxy-grouping',
    `Spearman: rank agreement of each estimate with the sweep's gains. Average-linkage clustering of each matrix${budgetText ? ` at budgets ${budgetText}` : ''}, priced with the sweep's measured test losses. ARI: agreement with exact selection (1 = the same grouping). Regret: clustering minus selection in total test loss, mean over budgets (positive = the selection is better).`,
    [
      { label: 'Estimate' },
      { label: 'Spearman', num: true },
      { label: 'Mean ARI', num: true },
      { label: 'Mean regret', num: true },
      { label: 'Significantly worse than selection', num: true },
    ],
    rows,
    (k) => (k >= data.proxies.length ? 'reference' : null),
  );
  if (truth)
    viewNote(
      container,
      `Seed noise of groupings: the sweep's two halves of seeds give groupings with ARI ${formatFixed(truth.halfVsHalfAri)} to each other (mean over the budgets); a proxy cannot be expected to agree with the sweep better than that.`,
    );
}
