/**
 * The auxiliary ranking in print: the page's gain bars (verdict colours, interval whiskers, the verdict in words so it
 * survives greyscale) fitted to the width; with many candidates the best ones (the paper's table lists all).
 */
import { figureSvg, finishFigure, flowLegend, type FigureSize } from './figure.js';
import { fitText, lineHeight, textWidth } from './metrics.js';
import { drawGainBars, gainAxis, gainScale } from './auxiliary.js';
import { VERDICT_COLOR } from './palette.js';
import { axisTitle, type Group } from './svg.js';
import type { AuxiliaryRanking } from '../html/input.js';

/** Candidates drawn at most. */
const SHOWN = 20;

export function drawAuxiliaryFigure(container: Element, data: AuxiliaryRanking, size: FigureSize): void {
  const all = data.ranking.slice().sort((a, b) => b.mean - a.mean);
  const ranking = all.slice(0, SHOWN);
  const svg = figureSvg(
    container,
    size,
    `Auxiliary tasks for ${data.main}`,
    `Gain of ${data.main} from each of ${ranking.length === all.length ? '' : `the best ${ranking.length} of `}${all.length} candidates, with intervals.`,
  );
  const line = lineHeight(size.small);
  const neutral = ranking.some((r) => r.verdict === 'no significant help') ? 'no significant help' : 'no evidence';
  const legend = svg.append('g').attr('class', 'legend').attr('transform', 'translate(1,1)');
  const { height: legendHeight } = flowLegend(
    legend,
    ['helps', neutral, 'hurts'].map((verdict) => ({
      label: verdict,
      swatch: (g: Group) => {
        g.append('rect').attr('width', 12).attr('height', 12).attr('fill', VERDICT_COLOR[verdict]);
      },
    })),
    size.width - 2,
    size,
  );
  const labels = ranking.map((r) => fitText(r.task, size.width * 0.3, size.small));
  const notes = ranking.map((r) => r.verdict);
  const labelWidth = Math.max(...labels.map((l) => textWidth(l, size.small))) + 8;
  const noteWidth = Math.max(...notes.map((n) => textWidth(n, size.small))) + 8;
  const row = Math.max(line + 4, 12);
  const margin = { top: legendHeight + 8, left: labelWidth + 2, right: noteWidth, bottom: 2 * line + 14 };
  const plotW = size.width - margin.left - margin.right;
  const innerH = ranking.length * row;
  const x = gainScale(ranking, plotW);
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  gainAxis(root, x, innerH);
  root.selectAll('.axis .tick text').attr('class', 'small');
  root
    .selectAll('.axis .tick')
    .filter((_, k, ticks) => ticks.length > Math.floor(plotW / 32) && k % 2 === 1)
    .remove();
  // Below the tick labels (tick 6 px, gap 3 px, one line), then one line for the title.
  axisTitle(root, plotW / 2, innerH + 9 + line + line * 0.95, fitText(`gain of ${data.main}`, plotW, size.small));
  drawGainBars(root, ranking, labels, x, row, plotW, { labelGap: 4, barInset: 2, noteGap: 4 });
  root.append('line').attr('class', 'zero').attr('x1', x(0)).attr('x2', x(0)).attr('y1', 0).attr('y2', innerH);
  finishFigure(svg, size.width, margin.top + innerH + margin.bottom);
}
