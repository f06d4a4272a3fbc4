/** Client-side: the grouping budget curve and its table of chosen groups (see common.ts for the rules). */
import type * as D3 from 'd3';
import { createSvg, describe, formatNumber, legendItem, sizeSvg, tooltip, type Group, axisTitle } from './common.js';
import type { BudgetPoint } from '../html/input.js';

declare const d3: typeof D3;

export function drawBudget(container: HTMLElement, points: BudgetPoint[]): void {
  const data = points.slice().sort((a, b) => a.budget - b.budget);
  const svg = createSvg(
    container,
    'budget',
    'Grouping budget curve',
    `Predicted total loss of the best task grouping for ${data.length} budgets (number of networks)${data.some((p) => p.actualLoss) ? ', with measured losses and their intervals' : ''}.`,
  );
  const width = 640;
  const height = 300;
  const margin = { top: 44, right: 24, bottom: 50, left: 72 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const values = data.flatMap((p) => [p.predictedLoss, ...(p.actualLoss ? [p.actualLoss.low, p.actualLoss.high, p.actualLoss.mean] : [])]).filter((v) => Number.isFinite(v));
  const [lo, hi] = d3.extent(values) as [number, number];
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.12;
  const y = d3
    .scaleLinear()
    .domain([lo - pad, hi + pad])
    .range([innerH, 0])
    .nice();
  const budgets = data.map((p) => p.budget);
  const [b0, b1] = d3.extent(budgets) as [number, number];
  const x = d3
    .scaleLinear()
    .domain(b0 === b1 ? [b0 - 1, b1 + 1] : [b0 - 0.4, b1 + 0.4])
    .range([0, innerW]);
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  root
    .append('g')
    .attr('class', 'grid')
    .call(d3.axisLeft(y).ticks(5).tickSize(-innerW).tickFormat(() => ''));
  root
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0,${innerH})`)
    .call(d3.axisBottom(x).tickValues(budgets).tickFormat(d3.format('d')));
  root
    .append('g')
    .attr('class', 'axis')
    .call(d3.axisLeft(y).ticks(5).tickFormat((v) => formatNumber(Number(v), 3)));
  axisTitle(root, innerW / 2, innerH + 40, 'budget (number of networks)');
  axisTitle(root, -56, innerH / 2, 'total test loss (lower is better)', true);

  const tip = tooltip();
  const groupsText = (p: BudgetPoint): string => p.groups.map((g) => `{${g.join(', ')}}`).join(' ');
  root
    .append('path')
    .datum(data)
    .attr('class', 'line predicted')
    .attr(
      'd',
      d3
        .line<BudgetPoint>()
        .x((p) => x(p.budget))
        .y((p) => y(p.predictedLoss)),
    );
  const predicted = root
    .append('g')
    .attr('class', 'points')
    .selectAll('circle')
    .data(data)
    .join('circle')
    .attr('class', 'point predicted')
    .attr('cx', (p) => x(p.budget))
    .attr('cy', (p) => y(p.predictedLoss))
    .attr('r', 5);
  describe(predicted, tip, (p) => [`budget ${p.budget}: predicted loss ${formatNumber(p.predictedLoss)}`, `groups: ${groupsText(p)}`, `method: ${p.method}`]);

  const measured = data.filter((p) => p.actualLoss);
  if (measured.length) {
    const offset = 7;
    const whiskers = root
      .append('g')
      .selectAll('g')
      .data(measured)
      .join('g')
      .attr('class', 'actual')
      .attr('transform', (p) => `translate(${x(p.budget) + offset},0)`);
    whiskers
      .append('line')
      .attr('class', 'whisker')
      .attr('y1', (p) => y(p.actualLoss!.low))
      .attr('y2', (p) => y(p.actualLoss!.high));
    for (const end of ['low', 'high'] as const)
      whiskers
        .append('line')
        .attr('class', 'whisker')
        .attr('x1', -4)
        .attr('x2', 4)
        .attr('y1', (p) => y(p.actualLoss![end]))
        .attr('y2', (p) => y(p.actualLoss![end]));
    whiskers
      .append('path')
      .attr('class', 'point actual')
      .attr('d', d3.symbol(d3.symbolDiamond, 64)())
      .attr('transform', (p) => `translate(0,${y(p.actualLoss!.mean)})`);
    describe(whiskers, tip, (p) => [
      `budget ${p.budget}: measured loss ${formatNumber(p.actualLoss!.mean)} [${formatNumber(p.actualLoss!.low)}, ${formatNumber(p.actualLoss!.high)}]`,
      `predicted ${formatNumber(p.predictedLoss)}`,
      `groups: ${groupsText(p)}`,
    ]);
  }
  const legend = root.append('g').attr('class', 'legend').attr('transform', `translate(0,${-30})`);
  let at = legendItem(legend, 0, 'predicted from the affinity matrix', (s: Group) => {
    s.append('line').attr('class', 'line predicted').attr('x1', 0).attr('x2', 14).attr('y1', 7).attr('y2', 7);
    s.append('circle').attr('class', 'point predicted').attr('cx', 7).attr('cy', 7).attr('r', 4);
  });
  if (measured.length)
    at += legendItem(legend, at, 'measured after training the groups (interval)', (s: Group) => {
      s.append('line').attr('class', 'whisker').attr('x1', 7).attr('x2', 7).attr('y1', 0).attr('y2', 14);
      s.append('path').attr('class', 'point actual').attr('d', d3.symbol(d3.symbolDiamond, 50)()).attr('transform', 'translate(7,7)');
    });
  sizeSvg(svg, Math.max(width, margin.left + at), height);

  // The chosen groups per budget, as a table (task names as text).
  const table = d3.select(container).append('table').attr('class', 'data groups');
  const head = table.append('thead').append('tr');
  const columns = ['Budget', 'Groups', 'Predicted loss', ...(measured.length ? ['Measured loss'] : []), 'Method'];
  head.selectAll('th').data(columns).join('th').attr('scope', 'col').text((d) => d);
  const rows = table.append('tbody').selectAll('tr').data(data).join('tr');
  rows.append('td').attr('class', 'num').text((p) => String(p.budget));
  rows
    .append('td')
    .selectAll('span')
    .data((p) => p.groups)
    .join('span')
    .attr('class', 'chip')
    .text((g) => g.join(' + '));
  rows.append('td').attr('class', 'num').text((p) => formatNumber(p.predictedLoss));
  if (measured.length)
    rows
      .append('td')
      .attr('class', 'num')
      .text((p) => (p.actualLoss ? `${formatNumber(p.actualLoss.mean)} [${formatNumber(p.actualLoss.low)}, ${formatNumber(p.actualLoss.high)}]` : '\u2014'));
  rows.append('td').text((p) => p.method);
}
