/**
 * `tra auxiliary`'s rankings, one per main task it ran for (auxiliary-<main>/auxiliary.json): candidates built from the
 * data, each next to the others' so that a run for one main task never hides another's (drawn by
 * draw/auxiliaryCandidates.ts).
 */
import { auxiliaryFilesIn } from '../../artefacts/auxiliary.js';
import { InputError } from '../../data/errors.js';
import { escapeHtml as e } from '../html/escape.js';
import type { AuxiliaryRanking } from '../html/input.js';
import { readAuxiliary } from '../html/read.js';
import { checkAuxiliary } from '../html/validate.js';
import { DEFAULT_LEVEL } from '../../options/inferenceDefaults.js';
import type { FileSection } from './section.js';

/** The rankings to draw, each with the level of its own intervals. */
export interface AuxiliaryCandidates {
  rankings: (AuxiliaryRanking & { level: number })[];
}

export const auxiliaryCandidatesSection: FileSection<'auxiliaryCandidates', AuxiliaryRanking[], AuxiliaryCandidates> = {
  key: 'auxiliaryCandidates',
  nav: 'Auxiliary candidates',
  title: 'Auxiliary candidates built from the data',
  file: 'auxiliary-<main>/auxiliary.json',
  files: auxiliaryFilesIn,
  read: (path) => [readAuxiliary(path)],
  check: (value, where) => {
    if (!Array.isArray(value)) throw new InputError(`${where}: expected a list of auxiliary.json contents`);
    value.forEach((ranking, k) => checkAuxiliary(ranking, `${where}[${k}]`));
  },
  data: (input, a) => {
    const rankings = input
      .filter((r) => r.ranking.length)
      .map((r) => ({ ...r, level: r.level ?? a.level ?? DEFAULT_LEVEL }));
    return rankings.length ? { rankings } : undefined;
  },
  intro: (data) =>
    `What <code>tra auxiliary</code> measured for ${data.rankings.length === 1 ? 'one main task' : `${data.rankings.length} main tasks`} (${data.rankings.map((r) => `<strong>${e(r.main)}</strong>`).join(', ')}): each candidate auxiliary built from the data (other labels, inputs moved to the output, an autoencoder of the inputs) trained with the main task, its gain over the main task alone with interval whiskers; each main task keeps its own folder and ranking.`,
};
