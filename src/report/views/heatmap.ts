/** The affinity heatmap: its section (Node side) and its drawing (client side; see common.ts for the rules of client code). */
import type * as D3 from 'd3';
import {
  createSvg,
  describe,
  formatInterval,
  formatPercent,
  joinMarks,
  legendItem,
  measureTexts,
  sizeSvg,
  tooltip,
  truncate,
  type Group,
  axisTitle,
} from './common.js';
import { averageLinkage, type LinkageMerge } from '../../math/linkage.js';
import { symmetrise } from '../../math/matrix.js';
import type { JsonMatrix } from '../html/input.js';
import type { AffinitySection } from './section.js';

declare const d3: typeof D3;

/** What the heatmap draws: the matrices in the original task order plus the clustered display order. */
export interface HeatmapData {
  tasks: string[];
  /** Display order (task indices), from average linkage on the group score. */
  order: number[];
  merges: Omit<LinkageMerge, 'members'>[];
  mean: JsonMatrix;
  low: JsonMatrix;
  high: JsonMatrix;
  /** Confidence level of low/high, e.g. 0.95. */
  level: number;
  pValue?: JsonMatrix;
  verdict?: (string | null)[][];
  fdr?: number;
}

/** A null cell takes its mirror cell's value, so symmetrising averages the known directions; unknown both ways counts as no effect (0). */
const filled = (m: JsonMatrix): number[][] => m.map((row, i) => row.map((v, j) => v ?? m[j]?.[i] ?? 0));

export const heatmapSection: AffinitySection<'heatmap', HeatmapData> = {
  key: 'heatmap',
  nav: 'Affinity',
  title: 'Task affinity',
  data(a) {
    const { order, merges } = averageLinkage(symmetrise(filled(a.groupScore ?? a.mean)));
    return {
      tasks: a.taskNames,
      order,
      merges: merges.map(({ left, right, similarity }) => ({ left, right, similarity })),
      mean: a.mean,
      low: a.low,
      high: a.high,
      level: a.level ?? 0.95,
      ...(a.inference?.pValue ? { pValue: a.inference.pValue } : {}),
      ...(a.inference?.verdict ? { verdict: a.inference.verdict } : {}),
      ...(a.inference?.fdr !== undefined ? { fdr: a.inference.fdr } : {}),
    };
  },
  intro(_, a) {
    const level = `${Math.round((a.level ?? 0.95) * 100)}%`;
    const n = a.replications?.length ?? a.reliability?.replications;
    const counts = a.inference?.counts;
    const verdicts = counts
      ? ` Paired tests per cell${a.inference?.fdr !== undefined ? ` at a false-discovery rate of ${Math.round(a.inference.fdr * 100)}%` : ''}: <strong>${counts.helps ?? 0} helps</strong>, <strong>${counts.hurts ?? 0} hurts</strong>, ${counts['no evidence'] ?? 0} without evidence; significant cells are outlined.`
      : '';
    return `Each cell is the Standley gain 1 &minus; L<sub>i</sub>({i,j}) / L<sub>i</sub>({i}): how much training the <strong>column</strong> task alongside the <strong>row</strong> task lowers the row task's held-out loss (blue helps, red hurts)${n ? `, averaged over ${n} replications` : ''}. Hatched cells have a ${level} interval that includes zero: they are not distinguishable from no effect. Hover or focus a cell for its interval. Tasks are ordered by average-linkage clustering of the symmetric group score (dendrogram on the right).${verdicts}`;
  },
  draw: drawHeatmap,
  helpers: [],
};

interface HeatCell {
  i: number;
  j: number;
  mean: number | null;
  low: number | null;
  high: number | null;
  /** The interval includes zero (or is unknown): not distinguishable from no effect. */
  uncertain: boolean;
  verdict: string | null;
  p: number | null;
}

export function drawHeatmap(container: HTMLElement, data: HeatmapData): void {
  const T = data.tasks.length;
  const num = (m: (number | null)[][] | undefined, i: number, j: number): number | null => {
    const v = m?.[i]?.[j];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const position = new Array<number>(T);
  data.order.forEach((task, k) => (position[task] = k));
  const cells: HeatCell[] = [];
  for (let i = 0; i < T; i++)
    for (let j = 0; j < T; j++) {
      const low = num(data.low, i, j);
      const high = num(data.high, i, j);
      cells.push({
        i,
        j,
        mean: num(data.mean, i, j),
        low,
        high,
        uncertain: i !== j && (low === null || high === null || (low <= 0 && high >= 0)),
        verdict: data.verdict?.[i]?.[j] ?? null,
        p: num(data.pValue, i, j),
      });
    }
  const offDiagonal = cells.filter((c) => c.i !== c.j && c.mean !== null).map((c) => Math.abs(c.mean as number));
  const extent = d3.max(offDiagonal) || 0.01;
  const color = d3.scaleDiverging<string>((t) => d3.interpolateRdBu(t)).domain([-extent, 0, extent]);
  const level = `${Math.round(data.level * 100)}%`;

  const svg = createSvg(
    container,
    'heatmap',
    'Task affinity heatmap',
    `Gain of each row task when trained together with each column task, ${T} tasks ordered by average-linkage clustering; blue helps, red hurts; hatched cells have a ${level} interval that includes zero.`,
  );
  const cell = Math.max(22, Math.min(68, Math.floor(600 / Math.max(T, 1))));
  const showValues = cell >= 34;
  const labels = data.tasks.map((n) => truncate(n, 34));
  const labelWidth = Math.max(40, d3.max(measureTexts(svg, labels, 'axis-label')) ?? 40);
  const diagonal = Math.SQRT1_2;
  const dendroWidth = T > 2 ? 84 : 0;
  const matrix = T * cell;
  const margin = {
    top: 34 + labelWidth * diagonal + 12,
    left: 30 + labelWidth + 10,
    right: Math.max(dendroWidth + 16, labelWidth * diagonal - cell / 2 + 12),
  };
  const legendTop = matrix + 30;
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);

  const defs = svg.append('defs');
  defs
    .append('pattern')
    .attr('id', 'hatch')
    .attr('patternUnits', 'userSpaceOnUse')
    .attr('width', 6)
    .attr('height', 6)
    .attr('patternTransform', 'rotate(45)')
    .append('line')
    .attr('x1', 0)
    .attr('y1', 0)
    .attr('x2', 0)
    .attr('y2', 6)
    .attr('stroke', '#1b1b1b')
    .attr('stroke-opacity', 0.3)
    .attr('stroke-width', 1.6);

  // Axis titles.
  axisTitle(root, matrix / 2, -margin.top + 16, 'helping task (column) \u2192');
  axisTitle(root, -margin.left + 16, matrix / 2, 'helped task (row) \u2192', true);

  const rowLabels = root
    .append('g')
    .selectAll('text')
    .data(data.order)
    .join('text')
    .attr('class', 'axis-label')
    .attr('x', -8)
    .attr('y', (_, k) => k * cell + cell / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .text((t) => labels[t]);
  const columnLabels = root
    .append('g')
    .selectAll('text')
    .data(data.order)
    .join('text')
    .attr('class', 'axis-label')
    .attr('transform', (_, k) => `translate(${k * cell + cell / 2},-8) rotate(-45)`)
    .attr('text-anchor', 'start')
    .text((t) => labels[t]);

  const tip = tooltip();
  const lines = (c: HeatCell): string[] => {
    const target = data.tasks[c.i];
    const source = data.tasks[c.j];
    if (c.i === c.j) return [`${target}`, 'same task (no pair)'];
    const out = [
      `${source} helps ${target}: ${formatPercent(c.mean)} ${formatInterval(c.low, c.high)}`,
      c.low === null || c.high === null
        ? `${level} interval not available (too few replications)`
        : c.uncertain
          ? `${level} interval includes 0: not distinguishable from no effect`
          : `${level} interval excludes 0`,
    ];
    if (c.p !== null || c.verdict)
      out.push(
        `paired test: p = ${c.p === null ? 'n/a' : c.p < 0.001 ? '< 0.001' : c.p.toFixed(3)}${c.verdict ? `, verdict: ${c.verdict}` : ''}`,
      );
    return out;
  };
  const group = joinMarks<HeatCell, SVGGElement>(root, 'g', cells, 'cell', 'cells').attr(
    'transform',
    (c) => `translate(${position[c.j] * cell},${position[c.i] * cell})`,
  );
  const fill = (c: HeatCell): string => (c.i === c.j ? '#eceff1' : c.mean === null ? '#d9d9d9' : color(c.mean));
  group
    .append('rect')
    .attr('class', 'swatch')
    .attr('width', cell)
    .attr('height', cell)
    .attr('fill', fill)
    .attr('stroke', '#fff')
    .attr('stroke-width', 1);
  group
    .filter((c) => c.uncertain)
    .append('rect')
    .attr('class', 'uncertain')
    .attr('width', cell)
    .attr('height', cell)
    .attr('fill', 'url(#hatch)')
    .attr('pointer-events', 'none');
  const significant = (c: HeatCell): boolean => c.verdict === 'helps' || c.verdict === 'hurts';
  group
    .filter(significant)
    .append('rect')
    .attr('class', 'significant')
    .attr('x', 1.5)
    .attr('y', 1.5)
    .attr('width', cell - 3)
    .attr('height', cell - 3)
    .attr('fill', 'none')
    .attr('stroke', '#111')
    .attr('stroke-width', 2.5);
  if (showValues)
    group
      .append('text')
      .attr('class', 'cell-value')
      .attr('x', cell / 2)
      .attr('y', cell / 2)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'middle')
      .style('fill', (c) => (c.i !== c.j && c.mean !== null && d3.lab(color(c.mean)).l < 58 ? '#fff' : '#1b1b1b'))
      .attr('stroke', fill)
      .attr('font-weight', (c) => (significant(c) ? 700 : 400))
      .text((c) => (c.i === c.j ? '\u2014' : formatPercent(c.mean, 1, '')));
  describe(group, tip, lines);
  group
    .on('mouseenter.highlight focus.highlight', (_: Event, c: HeatCell) => {
      rowLabels.classed('active', (t) => t === c.i);
      columnLabels.classed('active', (t) => t === c.j);
    })
    .on('mouseleave.highlight blur.highlight', () => {
      rowLabels.classed('active', false);
      columnLabels.classed('active', false);
    });
  root
    .append('rect')
    .attr('width', matrix)
    .attr('height', matrix)
    .attr('fill', 'none')
    .attr('stroke', '#9aa0a6')
    .attr('stroke-width', 1);

  // Dendrogram of the ordering, to the right of the matrix.
  if (dendroWidth > 0 && data.merges.length) {
    // Merge heights by rank (evenly spaced) rather than by similarity: the order, not the scale, is what matters here.
    const x = (k: number): number => 10 + ((k + 1) / data.merges.length) * (dendroWidth - 16);
    const nodeX: number[] = [];
    const nodeY: number[] = [];
    for (let t = 0; t < T; t++) {
      nodeX[t] = 0;
      nodeY[t] = position[t] * cell + cell / 2;
    }
    const paths: string[] = [];
    data.merges.forEach((m, k) => {
      const id = T + k;
      nodeX[id] = Math.max(x(k), nodeX[m.left] + 2, nodeX[m.right] + 2);
      nodeY[id] = (nodeY[m.left] + nodeY[m.right]) / 2;
      paths.push(`M${nodeX[m.left]},${nodeY[m.left]}H${nodeX[id]}V${nodeY[m.right]}H${nodeX[m.right]}`);
    });
    root
      .append('g')
      .attr('class', 'dendrogram')
      .attr('transform', `translate(${matrix + 8},0)`)
      .attr('aria-hidden', 'true')
      .selectAll('path')
      .data(paths)
      .join('path')
      .attr('d', (d) => d);
  }

  // Legend: colour ramp, hatching, outline.
  const legend = root.append('g').attr('class', 'legend').attr('transform', `translate(0,${legendTop})`);
  const rampWidth = 220;
  const gradient = defs.append('linearGradient').attr('id', 'heat-ramp');
  d3.range(0, 1.0001, 0.1).forEach((t) =>
    gradient
      .append('stop')
      .attr('offset', `${t * 100}%`)
      .attr('stop-color', color(-extent + 2 * extent * t)),
  );
  legend
    .append('text')
    .attr('class', 'legend-title')
    .attr('y', 0)
    .text('gain of the row task (Standley: 1 \u2212 L pair / L alone)');
  legend
    .append('rect')
    .attr('y', 10)
    .attr('width', rampWidth)
    .attr('height', 12)
    .attr('fill', 'url(#heat-ramp)')
    .attr('stroke', '#9aa0a6');
  const ramp = d3.scaleLinear().domain([-extent, extent]).range([0, rampWidth]);
  legend
    .append('g')
    .attr('class', 'legend-axis')
    .attr('transform', 'translate(0,22)')
    .call(
      d3
        .axisBottom(ramp)
        .ticks(5)
        .tickSize(4)
        .tickFormat((v) => formatPercent(Number(v), extent < 0.02 ? 1 : 0)),
    );
  legend.append('text').attr('class', 'legend-note').attr('x', 0).attr('y', 54).text('\u2190 hurts');
  legend
    .append('text')
    .attr('class', 'legend-note')
    .attr('x', rampWidth)
    .attr('y', 54)
    .attr('text-anchor', 'end')
    .text('helps \u2192');
  const keys = legend.append('g').attr('transform', `translate(${rampWidth + 36},8)`);
  let offset = 0;
  offset += legendItem(keys, offset, `${level} interval includes 0`, (s: Group) => {
    s.append('rect').attr('width', 14).attr('height', 14).attr('fill', '#f7f7f7').attr('stroke', '#9aa0a6');
    s.append('rect').attr('width', 14).attr('height', 14).attr('fill', 'url(#hatch)');
  });
  const keyRows: number[] = [offset];
  const second = keys.append('g').attr('transform', 'translate(0,24)');
  let offset2 = 0;
  if (data.verdict)
    offset2 += legendItem(second, offset2, `significant at FDR ${Math.round((data.fdr ?? 0.05) * 100)}%`, (s: Group) =>
      s
        .append('rect')
        .attr('x', 1)
        .attr('y', 1)
        .attr('width', 12)
        .attr('height', 12)
        .attr('fill', '#f7f7f7')
        .attr('stroke', '#111')
        .attr('stroke-width', 2.5),
    );
  offset2 += legendItem(second, offset2, 'same task', (s: Group) =>
    s.append('rect').attr('width', 14).attr('height', 14).attr('fill', '#eceff1').attr('stroke', '#9aa0a6'),
  );
  keyRows.push(offset2);
  const legendWidth = rampWidth + 36 + (d3.max(keyRows) ?? 0);
  sizeSvg(svg, margin.left + Math.max(matrix + margin.right, legendWidth + 8), margin.top + legendTop + 66);
}
