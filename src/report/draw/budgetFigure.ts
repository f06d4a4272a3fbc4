/** The budget curve in print: predicted total test loss per budget with intervals, closed-loop points, the choice. */
import * as d3 from 'd3';
import {
  budgetPoints,
  budgetScales,
  drawMeasured,
  drawPredicted,
  drawRecommendedBand,
  drawRecommendedMark,
} from './budget.js';
import { figureSvg, finishFigure, flowLegend, type FigureSize, type LegendEntry } from './figure.js';
import { formatNumber, levelText } from './format.js';
import { lineHeight, textWidth } from './metrics.js';
import { axisTitle, plotAxes, type Group } from './svg.js';
import type { GroupingView } from '../views/budget.js';

/** The legend's entries: the predicted series, the measured one, the recommended budget. */
function entries(view: ReturnType<typeof budgetPoints>, level: number): LegendEntry[] {
  return [
    {
      label: view.withInterval.length ? `predicted (${levelText(level)} interval)` : 'predicted',
      swatch: (g: Group) => {
        g.append('line').attr('class', 'line predicted').attr('x1', 0).attr('x2', 12).attr('y1', 6).attr('y2', 6);
        g.append('circle').attr('class', 'point predicted').attr('cx', 6).attr('cy', 6).attr('r', 3);
      },
    },
    ...(view.measured.length
      ? [
          {
            label: 'measured on fresh seeds',
            swatch: (g: Group) => {
              g.append('path')
                .attr('class', 'point actual')
                .attr('d', d3.symbol(d3.symbolDiamond, 36)())
                .attr('transform', 'translate(6,6)');
            },
          },
        ]
      : []),
    ...(view.chosenPoint
      ? [
          {
            label: 'recommended',
            swatch: (g: Group) => {
              g.append('rect').attr('class', 'recommended-band').attr('x', 2).attr('width', 8).attr('height', 12);
              g.append('circle').attr('class', 'recommended').attr('cx', 6).attr('cy', 6).attr('r', 5);
            },
          },
        ]
      : []),
  ];
}

export function drawBudgetFigure(container: Element, grouping: GroupingView, size: FigureSize): void {
  const view = budgetPoints(grouping);
  const svg = figureSvg(
    container,
    size,
    'Grouping budget curve',
    `Predicted total test loss of the best grouping for ${view.points.length} budgets.`,
  );
  const width = size.width;
  const legend = svg.append('g').attr('class', 'legend').attr('transform', 'translate(2,2)');
  const legendHeight = flowLegend(legend, entries(view, grouping.level), width - 4, size).height;
  const line = lineHeight(size.small);
  const height = Math.round(size.name === 'column' ? width * 0.7 : width * 0.36);
  const plotTop = legendHeight + 10;
  const probe = budgetScales(view.points, 100, 100).y;
  const yLabel = Math.max(...probe.ticks(5).map((v) => textWidth(formatNumber(v, 3), size.small)));
  const margin = { top: plotTop, right: 10, bottom: 2 * line + 8, left: line + yLabel + 10 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const { x, y, first, last } = budgetScales(view.points, innerW, innerH);
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  if (view.chosenPoint) drawRecommendedBand(root, view.chosenPoint, x, innerW, innerH, view.points.length);
  const budgets = view.points.map((p) => p.budget);
  const every = Math.ceil(budgets.length / Math.max(1, Math.floor(innerW / (textWidth('999', size.small) + 8))));
  plotAxes(
    root,
    d3
      .axisBottom(x)
      .tickValues(budgets.filter((_, k) => k % every === 0))
      .tickSize(3)
      .tickFormat(d3.format('d')),
    y,
    5,
    (v) => formatNumber(v, 3),
    innerW,
    innerH,
  );
  axisTitle(root, innerW / 2, innerH + 2 * line + 4, 'budget (number of networks)');
  axisTitle(root, -margin.left + line * 0.8, innerH / 2, 'total test loss', true);
  drawPredicted(root, view, x, y, 3);
  if (view.chosenPoint) drawRecommendedMark(root, view.chosenPoint, x, y, first, last, { radius: 6, label: false });
  if (view.measured.length) drawMeasured(root, view.measured, x, y, 5, 30);
  finishFigure(svg, width, height);
}
