/** The auxiliary-task ranking for one main task: its section (Node side) and its drawing (client side; see common.ts for the rules). */
import type * as D3 from 'd3';
import {
  axisTitle,
  createSvg,
  dataTable,
  describe,
  formatFixed,
  formatInterval,
  formatPercent,
  formatSpan,
  isFiniteNumber,
  joinMarks,
  legendItem,
  measureTexts,
  sizeSvg,
  tooltip,
  truncate,
  viewHeading,
  viewNote,
  type Group,
} from './common.js';
import { escapeHtml as e } from '../html/escape.js';
import type { AuxiliaryRanking } from '../html/input.js';
import { readAuxiliary } from '../html/read.js';
import { checkAuxiliary } from '../html/validate.js';
import type { FileSection } from './section.js';

declare const d3: typeof D3;

export const auxiliarySection: FileSection<'auxiliary', AuxiliaryRanking, AuxiliaryRanking> = {
  key: 'auxiliary',
  nav: 'Auxiliary tasks',
  title: 'Auxiliary tasks',
  file: 'auxiliary.json',
  read: readAuxiliary,
  check: checkAuxiliary,
  data: (input, a) => (input.ranking.length ? { level: a.level ?? 0.95, ...input } : undefined),
  intro: (data, a) =>
    `Which tasks to train alongside <strong>${e(data.main)}</strong>: its gain from each partner, best first, with ${Math.round((a.level ?? 0.95) * 100)}% interval whiskers.`,
  draw: drawAuxiliary,
  helpers: [drawHeuristics],
};

type Entry = AuxiliaryRanking['ranking'][number];

export function drawAuxiliary(container: HTMLElement, data: AuxiliaryRanking): void {
  const ranking = data.ranking.slice().sort((a, b) => b.mean - a.mean);
  const verdictColor: Record<string, string> = {
    helps: '#2166ac',
    hurts: '#b2182b',
    'no evidence': '#8c8c8c',
    'no significant help': '#8c8c8c',
  };
  const svg = createSvg(
    container,
    'auxiliary',
    `Auxiliary tasks for ${data.main}`,
    `Gain of ${data.main} when trained with each of ${ranking.length} candidate auxiliaries, best first, with interval whiskers; colour gives the verdict.`,
  );
  const labels = ranking.map((r) => truncate(r.task, 34));
  const labelWidth = Math.max(60, d3.max(measureTexts(svg, labels, 'axis-label')) ?? 60);
  const verdictWidth = Math.max(
    60,
    d3.max(
      measureTexts(
        svg,
        ranking.map((r) => r.verdict),
        'bar-note',
      ),
    ) ?? 60,
  );
  const row = 28;
  const plotW = 380;
  const margin = { top: 40, right: verdictWidth + 22, bottom: 52, left: labelWidth + 18 };
  const innerH = ranking.length * row;
  const values = ranking.flatMap((r) => [r.low, r.high, r.mean, 0]).filter(isFiniteNumber);
  const [lo, hi] = d3.extent(values) as [number, number];
  const pad = (hi - lo || 0.01) * 0.06;
  const x = d3
    .scaleLinear()
    .domain([lo - pad, hi + pad])
    .range([0, plotW])
    .nice();
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
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
  axisTitle(root, plotW / 2, innerH + 40, `gain of ${truncate(data.main, 40)} from training with the task`);
  const tip = tooltip();
  const bars = joinMarks<Entry, SVGGElement>(root, 'g', ranking, 'bar').attr(
    'transform',
    (_, k) => `translate(0,${k * row})`,
  );
  bars
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', -10)
    .attr('y', row / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .text((_, k) => labels[k]);
  bars
    .append('rect')
    .attr('x', (r) => Math.min(x(0), x(r.mean)))
    .attr('y', 6)
    .attr('height', row - 12)
    .attr('width', (r) => Math.abs(x(r.mean) - x(0)))
    .attr('fill', (r) => verdictColor[r.verdict] ?? '#8c8c8c');
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
      .attr('y1', row / 2 - 5)
      .attr('y2', row / 2 + 5);
  bars
    .append('text')
    .attr('class', 'bar-note')
    .attr('x', plotW + 12)
    .attr('y', row / 2)
    .attr('dy', '0.35em')
    .text((r) => r.verdict);
  describe(bars, tip, (r) => [
    `${r.task} \u2192 ${data.main}: ${formatPercent(r.mean)} ${formatInterval(r.low, r.high)}`,
    `verdict: ${r.verdict}`,
  ]);
  root.append('line').attr('class', 'zero').attr('x1', x(0)).attr('x2', x(0)).attr('y1', -4).attr('y2', innerH);
  const legend = root.append('g').attr('class', 'legend').attr('transform', 'translate(0,-30)');
  let at = 0;
  for (const verdict of [
    'helps',
    ranking.some((r) => r.verdict === 'no significant help') ? 'no significant help' : 'no evidence',
    'hurts',
  ])
    at += legendItem(legend, at, verdict, (s: Group) =>
      s.append('rect').attr('width', 14).attr('height', 14).attr('fill', verdictColor[verdict]),
    );
  at += legendItem(legend, at, 'interval', (s: Group) => {
    s.append('line').attr('class', 'whisker').attr('x1', 0).attr('x2', 14).attr('y1', 7).attr('y2', 7);
    s.append('line').attr('class', 'whisker').attr('x1', 0).attr('x2', 0).attr('y1', 3).attr('y2', 11);
    s.append('line').attr('class', 'whisker').attr('x1', 14).attr('x2', 14).attr('y1', 3).attr('y2', 11);
  });
  sizeSvg(svg, margin.left + Math.max(plotW + margin.right, at), margin.top + innerH + margin.bottom);

  // The main task trained with its top-k auxiliaries at once (measured, not predicted from the pairs).
  const top = data.top;
  if (top?.tasks.length) {
    const gain = top.gain;
    const known = isFiniteNumber(gain.low) && isFiniteNumber(gain.high);
    const verdict = !known
      ? 'interval unknown'
      : (gain.low as number) > 0
        ? 'helps'
        : (gain.high as number) < 0
          ? 'hurts'
          : 'no evidence';
    const level = `${Math.round((data.level ?? 0.95) * 100)}%`;
    const note = d3.select(container).append('p').attr('class', 'auxiliary-top');
    note.append('strong').text(`Trained with its top ${top.tasks.length}: `);
    for (const task of top.tasks) note.append('span').attr('class', 'chip').text(task);
    note
      .append('span')
      .text(
        `gain of ${data.main} over training alone ${formatPercent(gain.mean)}${known ? ` ${formatInterval(gain.low, gain.high)}` : ''} (${level} interval${typeof gain.n === 'number' ? ` over ${gain.n} seed${gain.n === 1 ? '' : 's'}` : ''}): ${verdict}.`,
      );
  }
  drawHeuristics(container, data);
}

/** tra auxiliary's extras: the recommended set, its closed loop, and which cheap heuristic would have ranked the candidates right. */
export function drawHeuristics(container: HTMLElement, data: AuxiliaryRanking): void {
  const level = `${Math.round((data.level ?? 0.95) * 100)}%`;
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
      `Closed loop on fresh seeds ${loop.seeds.join(', ')}: ${data.main} with ${loop.set.join(', ')} gains ${formatSpan(loop.gain, true)} over training alone on the same inputs and ${formatSpan(loop.netGain, true)} over training alone with all inputs (${level} intervals)` +
        (loop.bestSingleNetGain
          ? `; the best single candidate alone: ${formatSpan(loop.bestSingleNetGain, true)}.`
          : '.'),
      'auxiliary-set',
    );
  if (!data.heuristics?.length) return;
  viewHeading(container, 'Which cheap signal would have picked right');
  dataTable(
    container,
    'heuristics',
    `Rank agreement of each heuristic with the measured gains over the candidates (Spearman with a ${level} bootstrap interval over candidates, Kendall), the direction the literature expects, and the candidate it would pick with that candidate's measured rank.`,
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
