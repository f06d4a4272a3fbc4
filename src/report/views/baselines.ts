/** The linear baselines section (Node side; drawn by draw/baselines.ts). */
import type { Baselines } from '../html/input.js';
import { readBaselines } from '../html/read.js';
import { checkBaselines } from '../html/validate.js';
import type { FileSection } from './section.js';

export const baselinesSection: FileSection<'baselines', Baselines, Baselines> = {
  key: 'baselines',
  nav: 'Baselines',
  title: 'Linear baselines',
  file: 'baselines.json',
  read: readBaselines,
  check: checkBaselines,
  data: (input) => (input.rows.length ? input : undefined),
  intro: () =>
    'Held-out loss of linear multi-task baselines on the same tasks, for scale: a neural grouping should beat these to be worth its cost.',
};
