/** Linear baselines: held-out loss per task and method, the best of each row in bold. */
import * as d3 from 'd3';
import { formatNumber, isFiniteNumber } from './format.js';
import type { Baselines } from '../html/input.js';

export function drawBaselines(container: HTMLElement, data: Baselines): void {
  const bestOf = (values: (number | null)[]): number => {
    const known = values.filter(isFiniteNumber);
    return known.length ? Math.min(...known) : NaN;
  };
  const hasMetric = data.rows.some((r) => r.metric);
  const wrap = d3.select(container).append('div').attr('class', 'table-wrap');
  const table = wrap.append('table').attr('class', 'data baselines');
  table.append('caption').text('Held-out test loss per task (lower is better); the lowest in each row is in bold.');
  const head = table.append('thead').append('tr');
  head.append('th').attr('scope', 'col').text('Task');
  if (hasMetric) head.append('th').attr('scope', 'col').text('Loss');
  head
    .selectAll('th.method')
    .data(data.columns)
    .join('th')
    .attr('class', 'method num')
    .attr('scope', 'col')
    .text((d) => d);
  const body = table.append('tbody');
  const rows = body.selectAll('tr').data(data.rows).join('tr');
  rows
    .append('th')
    .attr('scope', 'row')
    .text((r) => r.task);
  if (hasMetric) rows.append('td').text((r) => r.metric ?? '');
  rows
    .selectAll('td.num')
    .data((r) => r.values.map((v) => ({ v, best: isFiniteNumber(v) && v === bestOf(r.values) })))
    .join('td')
    .attr('class', (c) => `num${c.best ? ' best' : ''}`)
    .text((c) => formatNumber(c.v));
  if (data.total && data.total.length === data.columns.length) {
    const total = data.total;
    const foot = table.append('tfoot').append('tr');
    foot.append('th').attr('scope', 'row').text('Total');
    if (hasMetric) foot.append('td');
    foot
      .selectAll('td.num')
      .data(total.map((v) => ({ v, best: isFiniteNumber(v) && v === bestOf(total) })))
      .join('td')
      .attr('class', (c) => `num${c.best ? ' best' : ''}`)
      .text((c) => formatNumber(c.v));
  }
}
