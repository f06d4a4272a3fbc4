/**
 * How the sweep guarded itself, from affinity.json: the adaptive run's stop (`--until-reliability`) and the null
 * controls (`--null-tasks`). Its section (Node side; drawn by draw/sweepChecks.ts).
 */
import { InputError } from '../../data/errors.js';
import type { AffinityFile, IntervalJson } from '../html/input.js';
import { interval, list, number, object, text } from '../html/validate.js';
import type { AffinitySection } from './section.js';
import { DEFAULT_LEVEL } from '../../options/inferenceDefaults.js';

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
      level: affinity.level ?? DEFAULT_LEVEL,
    };
  },
  intro: () =>
    'How far the sweep guarded against seed noise and spurious gains: an adaptive run adds seeds until the matrix is reliable enough or its time budget ends (<code>--until-reliability</code>); null-control tasks are permuted copies of real tasks, so no real task can gain from them (<code>--null-tasks</code>).',
};
