/** How the sweep guarded itself: the adaptive run's stop and the null controls, as one table. */
import { formatInterval, formatPercent, isFiniteNumber, levelText } from './format.js';
import { dataTable } from './table.js';
import type { SweepChecks } from '../views/sweepChecks.js';

export function drawSweepChecks(container: HTMLElement, data: SweepChecks): void {
  const level = levelText(data.level);
  const rows: string[][] = [];
  const adaptive = data.adaptive;
  if (adaptive) {
    rows.push([
      'Adaptive run',
      `target reliability ${adaptive.target}: ${adaptive.reached ? 'reached' : 'not reached'}`,
      adaptive.reason,
    ]);
    rows.push([
      'Seeds used',
      adaptive.seeds.join(', '),
      `${adaptive.seeds.length} seed${adaptive.seeds.length === 1 ? '' : 's'}; every interval is over seeds`,
    ]);
  }
  const controls = data.nullControls;
  if (controls) {
    const { bias, counts, cells } = controls;
    const known = isFiniteNumber(bias.low) && isFiniteNumber(bias.high);
    const shifted = known && ((bias.low as number) > 0 || (bias.high as number) < 0);
    rows.push(['Null-control tasks', controls.tasks.join(', '), 'permuted labels: same base rate, no signal']);
    rows.push([
      'Gain from a null partner',
      `${formatPercent(bias.mean)}${known ? ` ${formatInterval(bias.low, bias.high)}` : ''}`,
      !known
        ? 'interval unknown (too few seeds)'
        : shifted
          ? `the ${level} interval excludes 0: adding any second task shifts the gains by about this much (tra affinity --subtract-null-bias judges every cell against it)`
          : `the ${level} interval includes 0: no bias from adding a second task is visible`,
    ]);
    const flagged = (counts.helps ?? 0) + (counts.hurts ?? 0);
    rows.push([
      'Null cells with a verdict',
      `${flagged} of ${cells}`,
      flagged
        ? `false discoveries: ${counts.helps ?? 0} helps, ${counts.hurts ?? 0} hurts`
        : 'no false discovery among the cells of a null partner',
    ]);
  }
  dataTable(container, 'sweep-checks', '', [{ label: 'Check' }, { label: 'Result' }, { label: 'What it means' }], rows);
}
