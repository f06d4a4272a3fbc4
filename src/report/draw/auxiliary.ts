/** The auxiliary-task ranking for one main task: gain bars with whiskers, the top-k note and the heuristics table. */
import * as d3 from 'd3';
import {
  formatFixed,
  formatInterval,
  formatPercent,
  formatSpan,
  isFiniteNumber,
  levelText,
  truncate,
} from './format.js';
import { describe, tooltip } from './interact.js';
import { VERDICT_COLOR } from './palette.js';
import { axisTitle, createSvg, joinMarks, legendItem, measureTexts, sizeSvg, type Group } from './svg.js';
import { dataTable, viewHeading, viewNote } from './table.js';
import type { AuxiliaryRanking } from '../html/input.js';
import { DEFAULT_LEVEL } from '../../options/inferenceDefaults.js';

type Entry = AuxiliaryRanking['ranking'][number];
type Scale = d3.ScaleLinear<number, number>;

/** The gain axis over every mean, bound and zero, padded and nice. */
export function gainScale(ranking: Entry[], width: number): Scale {
  const values = ranking.flatMap((r) => [r.low, r.high, r.mean, 0]).filter(isFiniteNumber);
  const [lo, hi] = d3.extent(values) as [number, number];
  const pad = (hi - lo || 0.01) * 0.06;
  return d3
    .scaleLinear()
    .domain([lo - pad, hi + pad])
    .range([0, width])
    .nice();
}

/** The vertical grid and the bottom axis of a gain scale, `innerH` below the top. */
export function gainAxis(root: Group, x: Scale, innerH: number): void {
  const [lo, hi] = x.domain();
  root
    .append('g')
    .attr('class', 'grid')
    .attr('transform', `translate(0,${innerH})`)
    .call(
      d3
        .axisBottom(x)
        .ticks(6)
        .tickSize(-innerH)
        .tickFormat(() => ''),
    );
  root
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0,${innerH})`)
    .call(
      d3
        .axisBottom(x)
        .ticks(6)
        .tickFormat((v) => formatPercent(Number(v), Math.abs(hi - lo) < 0.05 ? 1 : 0)),
    );
}

/** One row per candidate: its label, a bar coloured by verdict, the interval whiskers and the verdict's text. */
export function drawGainBars(
  root: Group,
  ranking: Entry[],
  labels: string[],
  x: Scale,
  row: number,
  plotW: number,
  { labelGap = 10, barInset = 6, noteGap = 12 } = {},
) {
  const bars = joinMarks<Entry, SVGGElement>(root, 'g', ranking, 'bar').attr(
    'transform',
    (_, k) => `translate(0,${k * row})`,
  );
  bars
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', -labelGap)
    .attr('y', row / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .text((_, k) => labels[k]);
  bars
    .append('rect')
    .attr('x', (r) => Math.min(x(0), x(r.mean)))
    .attr('y', barInset)
    .attr('height', row - 2 * barInset)
    .attr('width', (r) => Math.abs(x(r.mean) - x(0)))
    .attr('fill', (r) => VERDICT_COLOR[r.verdict] ?? '#8c8c8c');
  // one seed has no interval: no whiskers then (the tooltip says so)
  const whiskered = bars.filter((r) => isFiniteNumber(r.low) && isFiniteNumber(r.high));
  whiskered
    .append('line')
    .attr('class', 'whisker')
    .attr('x1', (r) => x(r.low as number))
    .attr('x2', (r) => x(r.high as number))
    .attr('y1', row / 2)
    .attr('y2', row / 2);
  for (const end of ['low', 'high'] as const)
    whiskered
      .append('line')
      .attr('class', 'whisker')
      .attr('x1', (r) => x(r[end] as number))
      .attr('x2', (r) => x(r[end] as number))
      .attr('y1', row / 2 - Math.min(5, row / 2 - 1))
      .attr('y2', row / 2 + Math.min(5, row / 2 - 1));
  bars
    .append('text')
    .attr('class', 'bar-note')
    .attr('x', plotW + noteGap)
    .attr('y', row / 2)
    .attr('dy', '0.35em')
    .text((r) => r.verdict);
  return bars;
}

/** The verdict colours and the whisker, in one row; returns its width. */
export function drawVerdictLegend(legend: Group, ranking: Entry[]): number {
  let at = 0;
  const neutral = ranking.some((r) => r.verdict === 'no significant help') ? 'no significant help' : 'no evidence';
  for (const verdict of ['helps', neutral, 'hurts'])
    at += legendItem(legend, at, verdict, (s: Group) =>
      s.append('rect').attr('width', 14).attr('height', 14).attr('fill', VERDICT_COLOR[verdict]),
    );
  at += legendItem(legend, at, 'interval', (s: Group) => {
    s.append('line').attr('class', 'whisker').attr('x1', 0).attr('x2', 14).attr('y1', 7).attr('y2', 7);
    s.append('line').attr('class', 'whisker').attr('x1', 0).attr('x2', 0).attr('y1', 3).attr('y2', 11);
    s.append('line').attr('class', 'whisker').attr('x1', 14).attr('x2', 14).attr('y1', 3).attr('y2', 11);
  });
  return at;
}

/** The ranking chart: candidates best first. */
export function drawRanking(container: HTMLElement, data: AuxiliaryRanking, id = 'auxiliary'): void {
  const ranking = data.ranking.slice().sort((a, b) => b.mean - a.mean);
  const svg = createSvg(
    container,
    id,
    `Auxiliary tasks for ${data.main}`,
    `Gain of ${data.main} when trained with each of ${ranking.length} candidate auxiliaries, best first, with interval whiskers; colour gives the verdict.`,
  );
  const labels = ranking.map((r) => truncate(r.task, 34));
  const widest = (texts: string[], className: string): number =>
    Math.max(60, d3.max(measureTexts(svg, texts, className)) ?? 60);
  const labelWidth = widest(labels, 'axis-label');
  const verdictWidth = widest(
    ranking.map((r) => r.verdict),
    'bar-note',
  );
  const row = 28;
  const plotW = 380;
  const margin = { top: 40, right: verdictWidth + 22, bottom: 52, left: labelWidth + 18 };
  const innerH = ranking.length * row;
  const x = gainScale(ranking, plotW);
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  gainAxis(root, x, innerH);
  axisTitle(root, plotW / 2, innerH + 40, `gain of ${truncate(data.main, 40)} from training with the task`);
  const bars = drawGainBars(root, ranking, labels, x, row, plotW);
  describe(bars, tooltip(), (r) => [
    `${r.task} \u2192 ${data.main}: ${formatPercent(r.mean)} ${formatInterval(r.low, r.high)}`,
    `verdict: ${r.verdict}`,
  ]);
  root.append('line').attr('class', 'zero').attr('x1', x(0)).attr('x2', x(0)).attr('y1', -4).attr('y2', innerH);
  const legendWidth = drawVerdictLegend(
    root.append('g').attr('class', 'legend').attr('transform', 'translate(0,-30)'),
    ranking,
  );
  sizeSvg(svg, margin.left + Math.max(plotW + margin.right, legendWidth), margin.top + innerH + margin.bottom);
}

/** The main task trained with its top-k auxiliaries at once (measured, not predicted from the pairs). */
export function topNote(container: HTMLElement, data: AuxiliaryRanking): void {
  const top = data.top;
  if (!top?.tasks.length) return;
  const gain = top.gain;
  const known = isFiniteNumber(gain.low) && isFiniteNumber(gain.high);
  const verdict = !known
    ? 'interval unknown'
    : (gain.low as number) > 0
      ? 'helps'
      : (gain.high as number) < 0
        ? 'hurts'
        : 'no evidence';
  const note = d3.select(container).append('p').attr('class', 'auxiliary-top');
  note.append('strong').text(`Trained with its top ${top.tasks.length}: `);
  for (const task of top.tasks) note.append('span').attr('class', 'chip').text(task);
  note
    .append('span')
    .text(
      `gain of ${data.main} over training alone ${formatPercent(gain.mean)}${known ? ` ${formatInterval(gain.low, gain.high)}` : ''} (${levelText(data.level ?? DEFAULT_LEVEL)} interval${typeof gain.n === 'number' ? ` over ${gain.n} seed${gain.n === 1 ? '' : 's'}` : ''}): ${verdict}.`,
    );
}

/** tra auxiliary's recommended set (chosen on validation) and its closed loop on fresh seeds. */
export function recommendedNotes(container: HTMLElement, data: AuxiliaryRanking): void {
  if (data.recommended) {
    const { candidates } = data.recommended;
    viewNote(
      container,
      `Recommended set (chosen on validation: ${data.recommended.rule}): ${candidates.length ? candidates.join(', ') : 'none'}.`,
      'auxiliary-set',
    );
  }
  const loop = data.closedLoop;
  if (loop)
    viewNote(
      container,
      `Closed loop on fresh seeds ${loop.seeds.join(', ')}: ${data.main} with ${loop.set.join(', ')} gains ${formatSpan(loop.gain, true)} over training alone on the same inputs and ${formatSpan(loop.netGain, true)} over training alone with all inputs (${levelText(data.level ?? DEFAULT_LEVEL)} intervals)` +
        (loop.bestSingleNetGain
          ? `; the best single candidate alone: ${formatSpan(loop.bestSingleNetGain, true)}.`
          : '.'),
      'auxiliary-set',
    );
}

/** Which cheap heuristic would have ranked the candidates right. */
export function heuristicsTable(container: HTMLElement, data: AuxiliaryRanking): void {
  if (!data.heuristics?.length) return;
  viewHeading(container, 'Which cheap signal would have picked right');
  dataTable(
    container,
    'heuristics',
    `Rank agreement of each heuristic with the measured gains over the candidates (Spearman with a ${levelText(data.level ?? DEFAULT_LEVEL)} bootstrap interval over candidates, Kendall), the direction the literature expects, and the candidate it would pick with that candidate's measured rank.`,
    [
      { label: 'heuristic' },
      { label: 'Spearman [interval]', num: true },
      { label: 'Kendall', num: true },
      { label: 'expected' },
      { label: 'its pick (measured rank)' },
      { label: 'source' },
    ],
    data.heuristics.map((h) => [
      h.label,
      formatSpan({ mean: h.spearman, low: h.spearmanLow, high: h.spearmanHigh }, true, 2),
      formatFixed(h.kendall),
      h.expected > 0 ? 'larger helps' : 'smaller helps',
      h.pick === null ? 'n/a' : `${h.pick} (#${formatFixed(h.pickRank, 0)})`,
      h.source,
    ]),
  );
}

/** `id` names the figure (its title's and description's ids): one per ranking on a page of several. */
export function drawAuxiliary(container: HTMLElement, data: AuxiliaryRanking, id = 'auxiliary'): void {
  drawRanking(container, data, id);
  topNote(container, data);
  recommendedNotes(container, data);
  heuristicsTable(container, data);
}
