/**
 * The heatmap for many tasks (above SUMMARY_ABOVE): instead of one unreadable label per task, an overview of the
 * dendrogram's clusters (one block per pair, its mean gain) that zooms into a block's cells when a block is selected,
 * and a search box that finds a task, zooms to its cluster and lists its strongest partners.
 */
import * as d3 from 'd3';
import { blockMeans, cutDendrogram, type Block, type TaskCluster } from './clusters.js';
import { excludesZeroAt } from './compact.js';
import { formatInterval, formatPercent, levelText, truncate } from './format.js';
import {
  cellLines,
  drawAxisLabels,
  drawCells,
  gainColor,
  heatCells,
  linkCellsToLabels,
  type HeatCell,
} from './heatmap.js';
import { describe, tooltip } from './interact.js';
import { createSvg, hatchPattern, measureTexts, sizeSvg } from './svg.js';
import { dataTable, viewNote } from './table.js';
import type { HeatmapData } from '../views/heatmap.js';

/** Clusters of the overview at most. */
const CLUSTERS = 16;

/** What a page of many tasks knows of an interval (views/heatmap.ts heatmapData): whether it excludes zero. */
const intervalWords = (excludesZero: boolean | null): string =>
  excludesZero === null ? 'n/a' : excludesZero ? 'excludes 0' : 'includes 0';

const clusterLabel = (c: TaskCluster): string => `C${c.id} (${c.members.length})`;

/** The overview: one focusable block per pair of clusters; selecting one calls `zoom`. */
function drawOverview(
  place: HTMLElement,
  data: HeatmapData,
  clusters: TaskCluster[],
  color: (v: number) => string,
  zoom: (row: number, column: number) => void,
): void {
  const blocks = blockMeans(data, clusters);
  const svg = createSvg(
    place,
    'heatmap-overview',
    'Task affinity by cluster',
    `${data.tasks.length} tasks in ${clusters.length} clusters of the dendrogram; each block is the mean gain of the row cluster's tasks from the column cluster's. Select a block to see its cells.`,
  );
  const labels = clusters.map(clusterLabel);
  const labelWidth = d3.max(measureTexts(svg, labels, 'axis-label')) ?? 60;
  const cell = 30;
  const margin = { top: labelWidth * Math.SQRT1_2 + 24, left: labelWidth + 16 };
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  drawAxisLabels(root, d3.range(clusters.length), labels, cell);
  const block = root
    .append('g')
    .selectAll<SVGGElement, Block>('g')
    .data(blocks)
    .join('g')
    .attr('class', 'cell block')
    .attr('transform', (b) => `translate(${b.column * cell},${b.row * cell})`);
  block
    .append('rect')
    .attr('class', 'swatch')
    .attr('width', cell)
    .attr('height', cell)
    .attr('fill', (b) => (b.mean === null ? '#eceff1' : color(b.mean)))
    .attr('stroke', '#fff');
  describe(block, tooltip(), (b) => [
    `${clusterLabel(clusters[b.column])} helps ${clusterLabel(clusters[b.row])}: mean ${formatPercent(b.mean)} over ${b.cells} cells`,
    `${b.helps} cells help, ${b.hurts} hurt (paired tests)`,
    `rows: ${clusters[b.row].members
      .slice(0, 4)
      .map((t) => data.tasks[t])
      .join(', ')}${clusters[b.row].members.length > 4 ? ', …' : ''}`,
    'select to see its cells',
  ]);
  block
    .on('click', (_: Event, b) => zoom(b.row, b.column))
    .on('keydown', (event: KeyboardEvent, b) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      zoom(b.row, b.column);
    });
  sizeSvg(
    svg,
    margin.left + clusters.length * cell + labelWidth * Math.SQRT1_2 + 8,
    margin.top + clusters.length * cell + 8,
  );
}

/** The cells of one block: the row cluster's tasks against the column cluster's, labelled, with tooltips. */
function drawBlock(
  place: HTMLElement,
  data: HeatmapData,
  cells: HeatCell[],
  rows: TaskCluster,
  columns: TaskCluster,
): void {
  const d = d3.select(place);
  d.selectAll('*').remove();
  d.append('h3')
    .attr('class', 'view-heading')
    .text(`${clusterLabel(rows)} (rows, helped) and ${clusterLabel(columns)} (columns, helping)`);
  const svg = createSvg(
    place,
    'heatmap-zoom',
    'Cells of one pair of clusters',
    `Gain of each of ${rows.members.length} row tasks from each of ${columns.members.length} column tasks.`,
  );
  const labels = data.tasks.map((n) => truncate(n, 30));
  const labelWidth =
    d3.max(
      measureTexts(
        svg,
        [...rows.members, ...columns.members].map((t) => labels[t]),
        'axis-label',
      ),
    ) ?? 60;
  const cell = 20;
  const margin = { top: labelWidth * Math.SQRT1_2 + 16, left: labelWidth + 14 };
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const row: number[] = [];
  const column: number[] = [];
  rows.members.forEach((t, k) => {
    row[t] = k;
  });
  columns.members.forEach((t, k) => {
    column[t] = k;
  });
  const inBlock = cells.filter((c) => row[c.i] !== undefined && column[c.j] !== undefined);
  const { color } = gainColor(cells);
  const marks = drawCells(root, inBlock, { row, column }, cell, color, hatchPattern(svg, 'hatch-zoom'), 'sign');
  linkCellsToLabels(data, marks, drawAxisLabels(root, rows.members, labels, cell, { columns: columns.members }));
  sizeSvg(
    svg,
    margin.left + columns.members.length * cell + labelWidth * Math.SQRT1_2 + 8,
    margin.top + rows.members.length * cell + 8,
  );
}

/** A task's ten strongest partners in each direction, with intervals and verdicts. */
function drawTaskPartners(place: HTMLElement, data: HeatmapData, cells: HeatCell[], task: number): void {
  d3.select(place).selectAll('*').remove();
  const level = levelText(data.level);
  const strongest = (list: HeatCell[]): HeatCell[] =>
    list
      .filter((c) => c.i !== c.j && c.mean !== null)
      .sort((a, b) => Math.abs(b.mean!) - Math.abs(a.mean!))
      .slice(0, 10);
  const row = (c: HeatCell, other: number): string[] => [
    data.tasks[other],
    formatPercent(c.mean),
    data.intervals ? intervalWords(excludesZeroAt(data.intervals, c.i, c.j)) : formatInterval(c.low, c.high),
    c.verdict ?? '\u2014',
  ];
  const columns = [
    { label: 'task' },
    { label: 'gain', num: true },
    { label: `${level} interval`, num: true },
    { label: 'verdict' },
  ];
  dataTable(
    place,
    'partners',
    `The tasks that change ${data.tasks[task]} most (its gain from each)`,
    columns,
    strongest(cells.filter((c) => c.i === task)).map((c) => row(c, c.j)),
  );
  dataTable(
    place,
    'partners',
    `The tasks ${data.tasks[task]} changes most (their gain from it)`,
    columns,
    strongest(cells.filter((c) => c.j === task)).map((c) => row(c, c.i)),
  );
  const first = cells.find((c) => c.i === task && c.j !== task);
  if (first) viewNote(place, `Hover or focus a cell above for the full test: ${cellLines(data, first)[0]} …`);
}

export function drawLargeHeatmap(container: HTMLElement, data: HeatmapData): void {
  const clusters = cutDendrogram(data, Math.min(CLUSTERS, data.tasks.length));
  const clusterOf = new Map(clusters.flatMap((c, k) => c.members.map((t): [number, number] => [t, k])));
  const cells = heatCells(data);
  const { color } = gainColor(cells);
  const index = new Map(data.tasks.map((name, k) => [name, k]));
  viewNote(
    container,
    `${data.tasks.length} tasks are too many to label one per row: the overview shows the ${clusters.length} clusters of the dendrogram. Select a block to see its cells, or search a task.`,
  );
  const controls = d3.select(container).append('div').attr('class', 'heatmap-search');
  const listId = 'heatmap-tasks';
  controls.append('label').attr('for', 'heatmap-search-input').text('Find a task ');
  const input = controls
    .append('input')
    .attr('id', 'heatmap-search-input')
    .attr('type', 'search')
    .attr('list', listId)
    .attr('autocomplete', 'off')
    .attr('placeholder', 'task name');
  controls
    .append('datalist')
    .attr('id', listId)
    .selectAll('option')
    .data(data.tasks)
    .join('option')
    .attr('value', (t) => t);
  const found = controls.append('span').attr('class', 'note').attr('role', 'status');
  const overview = d3.select(container).append('div').attr('class', 'heatmap-overview').node()!;
  const zoomed = d3.select(container).append('div').attr('class', 'heatmap-zoom').node()!;
  const partners = d3.select(container).append('div').attr('class', 'heatmap-partners').node()!;
  const zoom = (row: number, column: number): void => drawBlock(zoomed, data, cells, clusters[row], clusters[column]);
  drawOverview(overview, data, clusters, color, zoom);
  input.on('input change', () => {
    const task = index.get((input.node()?.value ?? '').trim());
    if (task === undefined) {
      found.text('');
      return;
    }
    const k = clusterOf.get(task) ?? 0;
    found.text(` in cluster C${clusters[k].id}`);
    zoom(k, k);
    drawTaskPartners(partners, data, cells, task);
  });
  zoom(0, 0);
}
