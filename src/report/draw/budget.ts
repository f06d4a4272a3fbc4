/** The grouping section: the budget curve with its intervals and closed-loop points, the caption and the groups table. */
import * as d3 from 'd3';
import { formatFixed, formatLoss, formatNumber, formatSpan, isFiniteNumber, levelText } from './format.js';
import { drawGroupingChecks } from './groupingChecks.js';
import { describe, tooltip } from './interact.js';
import { axisTitle, createSvg, legendItem, plotAxes, sizeSvg, whiskers, type Group } from './svg.js';
import { dataTable, viewNote, type TableCell } from './table.js';
import type { BudgetPoint, IntervalJson } from '../html/input.js';
import type { GroupingView } from '../views/budget.js';

/** The whole grouping section: the curve, then the closed loop, clustering, early stopping and robustness tables. */
export function drawGrouping(container: HTMLElement, data: GroupingView): void {
  drawBudget(container, data);
  drawGroupingChecks(container, data);
}

type Bounded = IntervalJson & { low: number; high: number };
const bounded = (i: IntervalJson | undefined): i is Bounded => !!i && isFiniteNumber(i.low) && isFiniteNumber(i.high);

/** What the curve shows: the points by budget, those with a predicted interval, those measured, the recommended one. */
export function budgetPoints(grouping: GroupingView) {
  const points = grouping.curve.slice().sort((a, b) => a.budget - b.budget);
  const chosen = grouping.chosenBudget;
  return {
    points,
    withInterval: points.filter((p) => bounded(p.predictedInterval)),
    measured: points.filter((p) => p.actualLoss),
    chosen,
    chosenPoint: chosen ? points.find((p) => p.budget === chosen.budget) : undefined,
  };
}

/** Whether a point's group was never trained (its losses approximated from pairs). */
const untrained = (p: BudgetPoint, group: string[]): boolean =>
  (p.approximatedGroups ?? []).some((a) => a.join('+') === group.join('+'));

/** The networks of one budget point as text: "{a, b} {c}", a never-trained group marked "~{a, b, c}". */
export const groupsText = (p: BudgetPoint): string =>
  p.groups.map((g) => `${untrained(p, g) ? '~' : ''}{${g.join(', ')}}`).join(' ');

/** A point's predicted loss with its interval when known. */
export const predictedText = (p: BudgetPoint): string =>
  formatLoss(p.predictedInterval ?? { mean: p.predictedLoss, low: null, high: null });

/** The selection method, with the solver's status when it is not a clean solve. */
const methodText = (p: BudgetPoint): string =>
  `${p.method}${p.status && p.status !== 'optimal' && p.status !== 'feasible' ? ` (${p.status})` : ''}`;

/** x: budgets (padded), y: every loss and interval bound shown (padded, nice). */
export function budgetScales(points: BudgetPoint[], innerW: number, innerH: number) {
  const values = points
    .flatMap((p) => [
      p.predictedLoss,
      ...(bounded(p.predictedInterval) ? [p.predictedInterval.low, p.predictedInterval.high] : []),
      ...(p.actualLoss ? [p.actualLoss.low, p.actualLoss.high, p.actualLoss.mean] : []),
    ])
    .filter((v) => Number.isFinite(v));
  const [lo, hi] = d3.extent(values) as [number, number];
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.12;
  const y = d3
    .scaleLinear()
    .domain([lo - pad, hi + pad])
    .range([innerH, 0])
    .nice();
  const [b0, b1] = d3.extent(points, (p) => p.budget) as [number, number];
  const x = d3
    .scaleLinear()
    .domain(b0 === b1 ? [b0 - 1, b1 + 1] : [b0 - 0.4, b1 + 0.4])
    .range([0, innerW]);
  return { x, y, first: b0, last: b1 };
}

type Scale = d3.ScaleLinear<number, number>;

type Points = ReturnType<typeof budgetPoints>;

/** The predicted curve: interval whiskers first, then the line and one point per budget (returned). */
export function drawPredicted(root: Group, view: Points, x: Scale, y: Scale, radius = 5) {
  const intervals = root
    .append('g')
    .selectAll('g')
    .data(view.withInterval)
    .join('g')
    .attr('class', 'predicted-interval')
    .attr('transform', (p) => `translate(${x(p.budget)},0)`);
  whiskers(
    intervals,
    'whisker predicted',
    (p) => y(p.predictedInterval!.low as number),
    (p) => y(p.predictedInterval!.high as number),
  );
  root
    .append('path')
    .datum(view.points)
    .attr('class', 'line predicted')
    .attr(
      'd',
      d3
        .line<BudgetPoint>()
        .x((p) => x(p.budget))
        .y((p) => y(p.predictedLoss)),
    );
  const points = root
    .append('g')
    .attr('class', 'points')
    .selectAll('circle')
    .data(view.points)
    .join('circle')
    .attr('class', 'point predicted')
    .attr('cx', (p) => x(p.budget))
    .attr('cy', (p) => y(p.predictedLoss))
    .attr('r', radius);
  return points;
}

/** The recommended budget: a band behind the curve (drawn first), then a ring and a label over its point. */
export function drawRecommendedBand(
  root: Group,
  point: BudgetPoint,
  x: Scale,
  innerW: number,
  innerH: number,
  n: number,
) {
  const band = Math.min(28, innerW / Math.max(4, n * 2));
  root
    .append('rect')
    .attr('class', 'recommended-band')
    .attr('x', x(point.budget) - band / 2)
    .attr('width', band)
    .attr('y', 0)
    .attr('height', innerH);
}

/** A ring around the recommended point and, unless `label` is false, the word "recommended" above the plot (at `labelY`). */
export function drawRecommendedMark(
  root: Group,
  point: BudgetPoint,
  x: Scale,
  y: Scale,
  first: number,
  last: number,
  { radius = 10, labelY = -6, label = true } = {},
) {
  root
    .append('circle')
    .attr('class', 'recommended marker')
    .attr('cx', x(point.budget))
    .attr('cy', y(point.predictedLoss))
    .attr('r', radius);
  if (!label) return;
  const anchor =
    point.budget === last && first !== last ? 'end' : point.budget === first && first !== last ? 'start' : 'middle';
  root
    .append('text')
    .attr('class', 'recommended-label')
    .attr('x', x(point.budget))
    .attr('y', labelY)
    .attr('text-anchor', anchor)
    .text('recommended');
}

/** The closed loop's measured losses: a diamond with its interval beside each measured budget (returned). */
export function drawMeasured(root: Group, measured: BudgetPoint[], x: Scale, y: Scale, offset = 9, area = 64) {
  const actual = root
    .append('g')
    .selectAll('g')
    .data(measured)
    .join('g')
    .attr('class', 'actual')
    .attr('transform', (p) => `translate(${x(p.budget) + offset},0)`);
  whiskers(
    actual,
    'whisker',
    (p) => y(p.actualLoss!.low),
    (p) => y(p.actualLoss!.high),
  );
  actual
    .append('path')
    .attr('class', 'point actual')
    .attr('d', d3.symbol(d3.symbolDiamond, area)())
    .attr('transform', (p) => `translate(0,${y(p.actualLoss!.mean)})`);
  return actual;
}

/** The curve's legend in one row; returns its width. */
export function drawBudgetLegend(legend: Group, view: Points, level: number): number {
  const withInterval = view.withInterval.length > 0;
  let at = legendItem(
    legend,
    0,
    withInterval ? `predicted (${levelText(level)} interval)` : 'predicted from the sweep',
    (s: Group) => {
      if (withInterval)
        s.append('line').attr('class', 'whisker predicted').attr('x1', 7).attr('x2', 7).attr('y1', 0).attr('y2', 14);
      s.append('line').attr('class', 'line predicted').attr('x1', 0).attr('x2', 14).attr('y1', 7).attr('y2', 7);
      s.append('circle').attr('class', 'point predicted').attr('cx', 7).attr('cy', 7).attr('r', 4);
    },
  );
  if (view.measured.length)
    at += legendItem(legend, at, 'measured on fresh seeds (interval)', (s: Group) => {
      s.append('line').attr('class', 'whisker').attr('x1', 7).attr('x2', 7).attr('y1', 0).attr('y2', 14);
      s.append('path')
        .attr('class', 'point actual')
        .attr('d', d3.symbol(d3.symbolDiamond, 50)())
        .attr('transform', 'translate(7,7)');
    });
  if (view.chosenPoint)
    at += legendItem(legend, at, 'recommended budget', (s: Group) => {
      s.append('rect').attr('class', 'recommended-band').attr('x', 1).attr('y', 0).attr('width', 12).attr('height', 14);
      s.append('circle').attr('class', 'recommended').attr('cx', 7).attr('cy', 7).attr('r', 5);
    });
  return at;
}

/** The budget curve as an SVG in `container`. */
export function drawBudgetCurve(container: HTMLElement, grouping: GroupingView): void {
  const view = budgetPoints(grouping);
  const { points, withInterval, measured, chosen, chosenPoint } = view;
  const svg = createSvg(
    container,
    'budget',
    'Grouping budget curve',
    `Predicted total test loss of the best task grouping for ${points.length} budgets (number of networks)${withInterval.length ? ` with ${levelText(grouping.level)} intervals` : ''}${measured.length ? ', with measured losses and their intervals' : ''}${chosen ? `; recommended budget ${chosen.budget}` : ''}.`,
  );
  const width = 640;
  const height = 320;
  const margin = { top: 48, right: 24, bottom: 50, left: 72 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const { x, y, first, last } = budgetScales(points, innerW, innerH);
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  if (chosenPoint) drawRecommendedBand(root, chosenPoint, x, innerW, innerH, points.length);
  plotAxes(
    root,
    d3
      .axisBottom(x)
      .tickValues(points.map((p) => p.budget))
      .tickFormat(d3.format('d')),
    y,
    5,
    (v) => formatNumber(v, 3),
    innerW,
    innerH,
  );
  axisTitle(root, innerW / 2, innerH + 40, 'budget (number of networks)');
  axisTitle(root, -56, innerH / 2, 'total test loss (lower is better)', true);
  const tip = tooltip();
  describe(drawPredicted(root, view, x, y), tip, (p) => [
    `budget ${p.budget}${chosen && p.budget === chosen.budget ? ' (recommended)' : ''}: predicted loss ${predictedText(p)}`,
    `groups: ${groupsText(p)}`,
    `method: ${methodText(p)}${typeof p.solveSeconds === 'number' ? `, ${formatNumber(p.solveSeconds, 2)} s` : ''}`,
  ]);
  if (chosenPoint) drawRecommendedMark(root, chosenPoint, x, y, first, last);
  if (measured.length)
    describe(drawMeasured(root, measured, x, y), tip, (p) => [
      `budget ${p.budget}: measured loss ${formatSpan(p.actualLoss)}`,
      `predicted ${predictedText(p)}`,
      `groups: ${groupsText(p)}`,
    ]);
  const legend = root.append('g').attr('class', 'legend').attr('transform', `translate(0,${-40})`);
  const legendWidth = drawBudgetLegend(legend, view, grouping.level);
  sizeSvg(svg, Math.max(width, margin.left + legendWidth), height);
}

/** The recommendation under the curve: the budget, why, and its groups. */
export function recommendationCaption(container: HTMLElement, grouping: GroupingView): void {
  const { chosen, chosenPoint } = budgetPoints(grouping);
  if (!chosen) return;
  const caption = d3.select(container).append('p').attr('class', 'recommendation');
  caption.append('strong').text(`Recommended: ${chosen.budget} network${chosen.budget === 1 ? '' : 's'}. `);
  caption.append('span').text(/[.!?]$/.test(chosen.reason) ? chosen.reason : `${chosen.reason}.`);
  if (chosenPoint) caption.append('span').text(` Groups: ${groupsText(chosenPoint)}.`);
}

/** The chosen groups per budget, as a table (task names as text), and the budgets with no selection. */
export function budgetTable(container: HTMLElement, grouping: GroupingView): void {
  const { points, withInterval, measured, chosen } = budgetPoints(grouping);
  const timed = points.some((p) => typeof p.solveSeconds === 'number');
  const columns = [
    { label: 'Budget', num: true },
    { label: 'Groups' },
    { label: withInterval.length ? `Predicted loss [${levelText(grouping.level)}]` : 'Predicted loss', num: true },
    ...(measured.length ? [{ label: 'Measured loss', num: true }] : []),
    { label: 'Method' },
    ...(timed ? [{ label: 'Solve time', num: true }] : []),
  ];
  const rows = points.map((p): (string | TableCell)[] => [
    { text: String(p.budget), ...(chosen && p.budget === chosen.budget ? { badge: 'recommended' } : {}) },
    { chips: p.groups.map((g) => `${untrained(p, g) ? '~ ' : ''}${g.join(' + ')}`) },
    predictedText(p),
    ...(measured.length ? [p.actualLoss ? formatLoss(p.actualLoss) : '\u2014'] : []),
    methodText(p),
    ...(timed ? [typeof p.solveSeconds === 'number' ? `${formatFixed(p.solveSeconds, 2)} s` : '\u2014'] : []),
  ]);
  dataTable(
    container,
    'groups',
    `The best networks for every budget, selected on mean validation loss and scored on test loss (lower is better)${grouping.candidates ? `; optimal over ${grouping.optimalOverEveryGroup ? '' : 'these candidates only: '}${grouping.candidates}` : ''}${points.some((p) => (p.approximatedGroups ?? []).length) ? '; ~ marks a group no network was trained for: its losses are approximated from pairs (tra group --train-higher-order trains it)' : ''}.`,
    columns,
    rows,
    (k) => (chosen && points[k].budget === chosen.budget ? 'recommended' : null),
  );
  const infeasible = grouping.infeasibleBudgets ?? [];
  if (infeasible.length)
    viewNote(
      container,
      `No selection for budget${infeasible.length === 1 ? '' : 's'} ${infeasible.map((b) => `${b.budget}${b.status ? ` (${b.status})` : ''}`).join(', ')}.`,
    );
}

/** The budget curve, the recommendation and the groups table. */
export function drawBudget(container: HTMLElement, grouping: GroupingView): void {
  drawBudgetCurve(container, grouping);
  recommendationCaption(container, grouping);
  budgetTable(container, grouping);
}
