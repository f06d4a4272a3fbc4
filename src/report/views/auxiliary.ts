/** The auxiliary-task ranking section (Node side: file, reader, data, intro; drawn by draw/auxiliary.ts). */
import { escapeHtml as e } from '../html/escape.js';
import type { AuxiliaryRanking } from '../html/input.js';
import { readAuxiliary } from '../html/read.js';
import { checkAuxiliary } from '../html/validate.js';
import type { FileSection } from './section.js';
import { DEFAULT_LEVEL } from '../../options/inferenceDefaults.js';

export const auxiliarySection: FileSection<'auxiliary', AuxiliaryRanking, AuxiliaryRanking> = {
  key: 'auxiliary',
  nav: 'Auxiliary tasks',
  title: 'Auxiliary tasks',
  file: 'auxiliary.json',
  read: readAuxiliary,
  check: checkAuxiliary,
  data: (input, a) => (input.ranking.length ? { level: a.level ?? DEFAULT_LEVEL, ...input } : undefined),
  intro: (data, a) =>
    `Which tasks to train alongside <strong>${e(data.main)}</strong>: its gain from each partner, best first, with ${Math.round((a.level ?? DEFAULT_LEVEL) * 100)}% interval whiskers.`,
};
