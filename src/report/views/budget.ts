/** The grouping section: its declaration (Node side) and the budget curve with its table of chosen groups (client side; see common.ts for the rules). */
import type * as D3 from 'd3';
import {
  axisTitle,
  createSvg,
  dataTable,
  describe,
  formatNumber,
  formatSpan,
  isFiniteNumber,
  legendItem,
  plotAxes,
  sizeSvg,
  tooltip,
  viewNote,
  type Group,
  type TableCell,
} from './common.js';
import { drawGroupingChecks } from './groupingChecks.js';
import { groupingReport, type BudgetPoint, type GroupingReport, type IntervalJson } from '../html/input.js';
import { readGrouping } from '../html/read.js';
import { checkGrouping } from '../html/validate.js';
import type { FileSection } from './section.js';

declare const d3: typeof D3;

/** Always the object form; `level` filled from the affinity file when grouping.json lacks it. */
export type GroupingView = GroupingReport & { level: number };

export const groupingSection: FileSection<'grouping', GroupingReport | BudgetPoint[], GroupingView> = {
  key: 'grouping',
  nav: 'Grouping',
  title: 'Task grouping by budget',
  file: 'grouping.json',
  read: readGrouping,
  check: checkGrouping,
  data(input, a) {
    const grouping = groupingReport(input);
    if (!grouping.curve.length) return undefined;
    const {
      curve,
      level,
      chosenBudget,
      infeasibleBudgets,
      clustering,
      earlyStopping,
      stability,
      pairwiseApproximation,
      closedLoop,
    } = grouping;
    return {
      curve,
      level: level ?? a.level ?? 0.95,
      chosenBudget,
      infeasibleBudgets,
      clustering,
      earlyStopping,
      stability,
      pairwiseApproximation,
      closedLoop,
    };
  },
  intro(g) {
    const level = `${Math.round(g.level * 100)}%`;
    const checks = [
      g.closedLoop && 'a closed-loop check on fresh seeds',
      g.clustering?.length && 'clustering alternatives',
      g.earlyStopping !== undefined && 'early stopping',
      (g.stability || g.pairwiseApproximation) && 'robustness',
    ].filter((x): x is string => typeof x === 'string');
    return `The best partition of the tasks into a given number of networks and its total test loss${g.curve.some((p) => p.predictedInterval) ? ` (selected on validation loss, scored on test loss), with ${level} interval whiskers over replications` : ''}${g.curve.some((p) => p.actualLoss) ? '; diamonds are the losses measured after training those groups on fresh seeds (closed loop), with their intervals' : ''}.${g.chosenBudget ? ' The shaded band and ring mark the recommended budget.' : ''}${checks.length ? ` Below: ${checks.join(', ').replace(/, ([^,]*)$/, ' and $1')}.` : ''}`;
  },
  draw: drawGrouping,
  helpers: [drawBudget, drawGroupingChecks],
};

/** The whole grouping section: the curve, then the closed loop, clustering, early stopping and robustness tables. */
export function drawGrouping(container: HTMLElement, data: GroupingView): void {
  drawBudget(container, data);
  drawGroupingChecks(container, data);
}

export function drawBudget(container: HTMLElement, grouping: GroupingView): void {
  const data = grouping.curve.slice().sort((a, b) => a.budget - b.budget);
  const bounded = (i: IntervalJson | undefined): i is IntervalJson & { low: number; high: number } =>
    !!i && isFiniteNumber(i.low) && isFiniteNumber(i.high);
  const level = `${Math.round(grouping.level * 100)}%`;
  const chosen = grouping.chosenBudget;
  const chosenPoint = chosen ? data.find((p) => p.budget === chosen.budget) : undefined;
  const withInterval = data.filter((p) => bounded(p.predictedInterval));
  const measured = data.filter((p) => p.actualLoss);
  const svg = createSvg(
    container,
    'budget',
    'Grouping budget curve',
    `Predicted total test loss of the best task grouping for ${data.length} budgets (number of networks)${withInterval.length ? ` with ${level} intervals` : ''}${measured.length ? ', with measured losses and their intervals' : ''}${chosen ? `; recommended budget ${chosen.budget}` : ''}.`,
  );
  const width = 640;
  const height = 320;
  const margin = { top: 48, right: 24, bottom: 50, left: 72 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const values = data
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
  const budgets = data.map((p) => p.budget);
  const [b0, b1] = d3.extent(budgets) as [number, number];
  const x = d3
    .scaleLinear()
    .domain(b0 === b1 ? [b0 - 1, b1 + 1] : [b0 - 0.4, b1 + 0.4])
    .range([0, innerW]);
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  if (chosenPoint) {
    const band = Math.min(28, innerW / Math.max(4, data.length * 2));
    root
      .append('rect')
      .attr('class', 'recommended-band')
      .attr('x', x(chosenPoint.budget) - band / 2)
      .attr('width', band)
      .attr('y', 0)
      .attr('height', innerH);
  }
  plotAxes(
    root,
    d3.axisBottom(x).tickValues(budgets).tickFormat(d3.format('d')),
    y,
    5,
    (v) => formatNumber(v, 3),
    innerW,
    innerH,
  );
  axisTitle(root, innerW / 2, innerH + 40, 'budget (number of networks)');
  axisTitle(root, -56, innerH / 2, 'total test loss (lower is better)', true);

  // An interval from `low` to `high` (pixels) with end caps, in each group, which is already at its x (inside
  // drawBudget: the page inlines functions by their source).
  const whiskers = <T>(
    groups: D3.Selection<D3.BaseType | SVGGElement, T, SVGGElement, unknown>,
    className: string,
    low: (d: T) => number,
    high: (d: T) => number,
  ): void => {
    groups.append('line').attr('class', className).attr('y1', low).attr('y2', high);
    for (const end of [low, high])
      groups.append('line').attr('class', className).attr('x1', -4).attr('x2', 4).attr('y1', end).attr('y2', end);
  };
  const tip = tooltip();
  const groupsText = (p: BudgetPoint): string => p.groups.map((g) => `{${g.join(', ')}}`).join(' ');
  const predictedText = (p: BudgetPoint): string =>
    formatSpan(p.predictedInterval ?? { mean: p.predictedLoss, low: null, high: null });

  // Predicted intervals first, so the line and points are drawn over them.
  const intervals = root
    .append('g')
    .selectAll('g')
    .data(withInterval)
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
    .datum(data)
    .attr('class', 'line predicted')
    .attr(
      'd',
      d3
        .line<BudgetPoint>()
        .x((p) => x(p.budget))
        .y((p) => y(p.predictedLoss)),
    );
  if (chosenPoint) {
    root
      .append('circle')
      .attr('class', 'recommended marker')
      .attr('cx', x(chosenPoint.budget))
      .attr('cy', y(chosenPoint.predictedLoss))
      .attr('r', 10);
    root
      .append('text')
      .attr('class', 'recommended-label')
      .attr('x', x(chosenPoint.budget))
      .attr('y', -6)
      .attr(
        'text-anchor',
        chosenPoint.budget === b1 && b0 !== b1 ? 'end' : chosenPoint.budget === b0 && b0 !== b1 ? 'start' : 'middle',
      )
      .text('recommended');
  }
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
  describe(predicted, tip, (p) => [
    `budget ${p.budget}${chosen && p.budget === chosen.budget ? ' (recommended)' : ''}: predicted loss ${predictedText(p)}`,
    `groups: ${groupsText(p)}`,
    `method: ${p.method}${p.status && p.status !== 'optimal' && p.status !== 'feasible' ? ` (${p.status})` : ''}${typeof p.solveSeconds === 'number' ? `, ${formatNumber(p.solveSeconds, 2)} s` : ''}`,
  ]);

  if (measured.length) {
    const offset = 9;
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
      .attr('d', d3.symbol(d3.symbolDiamond, 64)())
      .attr('transform', (p) => `translate(0,${y(p.actualLoss!.mean)})`);
    describe(actual, tip, (p) => [
      `budget ${p.budget}: measured loss ${formatSpan(p.actualLoss)}`,
      `predicted ${predictedText(p)}`,
      `groups: ${groupsText(p)}`,
    ]);
  }
  const legend = root.append('g').attr('class', 'legend').attr('transform', `translate(0,${-40})`);
  let at = legendItem(
    legend,
    0,
    withInterval.length ? `predicted (${level} interval)` : 'predicted from the sweep',
    (s: Group) => {
      if (withInterval.length)
        s.append('line').attr('class', 'whisker predicted').attr('x1', 7).attr('x2', 7).attr('y1', 0).attr('y2', 14);
      s.append('line').attr('class', 'line predicted').attr('x1', 0).attr('x2', 14).attr('y1', 7).attr('y2', 7);
      s.append('circle').attr('class', 'point predicted').attr('cx', 7).attr('cy', 7).attr('r', 4);
    },
  );
  if (measured.length)
    at += legendItem(legend, at, 'measured on fresh seeds (interval)', (s: Group) => {
      s.append('line').attr('class', 'whisker').attr('x1', 7).attr('x2', 7).attr('y1', 0).attr('y2', 14);
      s.append('path')
        .attr('class', 'point actual')
        .attr('d', d3.symbol(d3.symbolDiamond, 50)())
        .attr('transform', 'translate(7,7)');
    });
  if (chosenPoint)
    at += legendItem(legend, at, 'recommended budget', (s: Group) => {
      s.append('rect').attr('class', 'recommended-band').attr('x', 1).attr('y', 0).attr('width', 12).attr('height', 14);
      s.append('circle').attr('class', 'recommended').attr('cx', 7).attr('cy', 7).attr('r', 5);
    });
  sizeSvg(svg, Math.max(width, margin.left + at), height);

  if (chosen) {
    const caption = d3.select(container).append('p').attr('class', 'recommendation');
    caption.append('strong').text(`Recommended: ${chosen.budget} network${chosen.budget === 1 ? '' : 's'}. `);
    caption.append('span').text(/[.!?]$/.test(chosen.reason) ? chosen.reason : `${chosen.reason}.`);
    if (chosenPoint) caption.append('span').text(` Groups: ${groupsText(chosenPoint)}.`);
  }

  // The chosen groups per budget, as a table (task names as text).
  const columns = [
    { label: 'Budget', num: true },
    { label: 'Groups' },
    { label: withInterval.length ? `Predicted loss [${level}]` : 'Predicted loss', num: true },
    ...(measured.length ? [{ label: 'Measured loss', num: true }] : []),
    { label: 'Method' },
    ...(data.some((p) => typeof p.solveSeconds === 'number') ? [{ label: 'Solve time', num: true }] : []),
  ];
  const rows = data.map((p): (string | TableCell)[] => [
    { text: String(p.budget), ...(chosen && p.budget === chosen.budget ? { badge: 'recommended' } : {}) },
    { chips: p.groups.map((g) => g.join(' + ')) },
    predictedText(p),
    ...(measured.length ? [p.actualLoss ? formatSpan(p.actualLoss) : '\u2014'] : []),
    `${p.method}${p.status && p.status !== 'optimal' && p.status !== 'feasible' ? ` (${p.status})` : ''}`,
    ...(data.some((q) => typeof q.solveSeconds === 'number')
      ? [typeof p.solveSeconds === 'number' ? `${formatNumber(p.solveSeconds, 2)} s` : '\u2014']
      : []),
  ]);
  dataTable(
    container,
    'groups',
    'The best grouping for every budget, selected on mean validation loss and scored on test loss (lower is better).',
    columns,
    rows,
    (k) => (chosen && data[k].budget === chosen.budget ? 'recommended' : null),
  );
  const infeasible = grouping.infeasibleBudgets ?? [];
  if (infeasible.length)
    viewNote(
      container,
      `No selection for budget${infeasible.length === 1 ? '' : 's'} ${infeasible.map((b) => `${b.budget}${b.status ? ` (${b.status})` : ''}`).join(', ')}.`,
    );
}
