/**
 * How the sweep guarded itself, from affinity.json: the adaptive run's stop (`--until-reliability`) and the null
 * controls (`--null-tasks`). Its section (Node side) and its table (client side; see common.ts for the rules).
 */
import { InputError } from '../../data/errors.js';
import { dataTable, formatInterval, formatPercent, isFiniteNumber } from './common.js';
import type { AffinityFile, IntervalJson } from '../html/input.js';
import { interval, list, number, object, text } from '../html/validate.js';
import type { AffinitySection } from './section.js';

/** What `tra run` / `tra sweep` write into affinity.json (analysis/pairwise.ts AdaptiveOutcome, affinity/nullControls.ts). */
export interface SweepChecks {
  adaptive?: { target: number; reached: boolean; reason: string; seeds: number[] };
  nullControls?: { tasks: string[]; bias: IntervalJson; counts: Record<string, number>; cells: number };
  level: number;
}

type WithChecks = AffinityFile & { adaptive?: unknown; nullControls?: unknown };

export const sweepChecksSection: AffinitySection<'sweepChecks', SweepChecks> = {
  key: 'sweepChecks',
  nav: 'Sweep checks',
  title: 'Seeds and null controls',
  check(affinity, where) {
    const { adaptive, nullControls } = affinity as WithChecks;
    if (adaptive !== undefined) {
      object(adaptive, `${where} adaptive`);
      number(adaptive.target, `${where} adaptive.target`);
      if (typeof adaptive.reached !== 'boolean')
        throw new InputError(`${where} adaptive.reached: expected true or false`);
      text(adaptive.reason, `${where} adaptive.reason`);
      list(adaptive.seeds, `${where} adaptive.seeds`).forEach((s, k) => number(s, `${where} adaptive.seeds[${k}]`));
    }
    if (nullControls !== undefined) {
      object(nullControls, `${where} nullControls`);
      list(nullControls.tasks, `${where} nullControls.tasks`).forEach((t, k) =>
        text(t, `${where} nullControls.tasks[${k}]`),
      );
      interval(nullControls.bias, `${where} nullControls.bias`);
      object(nullControls.counts, `${where} nullControls.counts`);
      number(nullControls.cells, `${where} nullControls.cells`);
    }
  },
  data(affinity) {
    const { adaptive, nullControls } = affinity as AffinityFile & Omit<SweepChecks, 'level'>;
    if (!adaptive && !nullControls) return undefined;
    return {
      ...(adaptive ? { adaptive } : {}),
      ...(nullControls ? { nullControls } : {}),
      level: affinity.level ?? 0.95,
    };
  },
  intro: () =>
    'How far the sweep guarded against seed noise and spurious gains: an adaptive run adds seeds until the matrix is reliable enough or its time budget ends (<code>--until-reliability</code>); null-control tasks are permuted copies of real tasks, so no real task can gain from them (<code>--null-tasks</code>).',
  draw: drawSweepChecks,
  helpers: [],
};

export function drawSweepChecks(container: HTMLElement, data: SweepChecks): void {
  const level = `${Math.round(data.level * 100)}%`;
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
