/**
 * The grouping diagram in print: the networks of the recommended budget (or the lowest predicted loss when none was
 * recommended) as boxes, each listing its tasks, wrapped to the width. A network of many tasks lists its first ones
 * and how many more (the paper's budget table names them all).
 */
import { budgetPoints } from './budget.js';
import { figureSvg, finishFigure, type FigureSize } from './figure.js';
import { fitText, lineHeight, textWidth } from './metrics.js';
import type { BudgetPoint } from '../html/input.js';
import type { GroupingView } from '../views/budget.js';

/** Tasks listed in one box at most; the rest are counted. */
const LISTED = 8;

/** The budget point the diagram shows: the recommended one, else the lowest predicted loss. */
export function shownPoint(grouping: GroupingView): BudgetPoint {
  const { points, chosenPoint } = budgetPoints(grouping);
  return chosenPoint ?? points.reduce((best, p) => (p.predictedLoss < best.predictedLoss ? p : best), points[0]);
}

export function drawGroupingFigure(container: Element, grouping: GroupingView, size: FigureSize): void {
  const point = shownPoint(grouping);
  const recommended = grouping.chosenBudget?.budget === point.budget;
  const svg = figureSvg(
    container,
    size,
    'Task grouping',
    `The ${point.groups.length} networks of the ${recommended ? 'recommended' : 'lowest-loss'} grouping.`,
  );
  const line = lineHeight(size.small) + 1;
  const pad = 5;
  const gap = 6;
  const maxBox = (size.width - gap) / 2;
  const boxes = point.groups.map((group, k) => {
    const title = `Network ${k + 1} (${group.length} task${group.length === 1 ? '' : 's'})`;
    const listed =
      group.length > LISTED ? [...group.slice(0, LISTED - 1), `\u2026 and ${group.length - LISTED + 1} more`] : group;
    const names = listed.map((t) => fitText(t, maxBox - 2 * pad, size.small));
    const width = Math.min(
      maxBox,
      Math.max(textWidth(title, size.small, true), ...names.map((n) => textWidth(n, size.small))) + 2 * pad,
    );
    return { title, names, width, height: (names.length + 1) * line + 2 * pad };
  });
  // Shelf packing: boxes left to right in their order, a new shelf when the width is used up.
  let x = 0;
  let y = 0;
  let shelf = 0;
  let right = 0;
  const placed = boxes.map((box) => {
    if (x > 0 && x + box.width > size.width) {
      x = 0;
      y += shelf + gap;
      shelf = 0;
    }
    const at = { ...box, x, y };
    x += box.width + gap;
    shelf = Math.max(shelf, box.height);
    right = Math.max(right, at.x + box.width);
    return at;
  });
  const networks = svg
    .selectAll('g.network')
    .data(placed)
    .join('g')
    .attr('class', 'network')
    .attr('transform', (b) => `translate(${b.x + 0.5},${b.y + 0.5})`);
  networks
    .append('rect')
    .attr('width', (b) => b.width)
    .attr('height', (b) => b.height)
    .attr('rx', 3);
  networks
    .append('text')
    .attr('class', 'small')
    .attr('font-weight', 700)
    .attr('x', pad)
    .attr('y', pad + line / 2)
    .attr('dy', '0.35em')
    .text((b) => b.title);
  networks
    .selectAll('text.task')
    .data((b) => b.names)
    .join('text')
    .attr('class', 'small task')
    .attr('x', pad)
    .attr('y', (_, k) => pad + (k + 1.5) * line)
    .attr('dy', '0.35em')
    .text((n) => n);
  finishFigure(svg, right + 1, y + shelf + 1);
}
