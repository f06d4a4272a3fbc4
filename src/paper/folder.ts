/**
 * What `tra paper` reads from an analysis folder: the report's input and view data (the page and the figures draw the
 * same) and the artefacts in full for the methods and the appendix (provenance, settings, what was chosen on what).
 */
import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import {
  AFFINITY_FILES,
  AUXILIARY_FILES,
  BASELINES_FILES,
  GROUPING_FILES,
  PROXIES_FILES,
  TAXONOMY_FILES,
  auxiliaryFilesIn,
  auxiliaryFolderOf,
  readAffinity,
  readAuxiliary,
  readBaselines,
  readGrouping,
  readProxies,
  readTaxonomy,
  type AffinityArtefact,
  type AuxiliaryArtefact,
  type BaselinesArtefact,
  type GroupingArtefact,
  type ProxiesArtefact,
  type TaxonomyArtefact,
} from '../artefacts/index.js';
import { readReportInput, reportData } from '../report/html/index.js';
import type { AuxiliaryRanking } from '../report/html/input.js';
import type { ReportData } from '../report/views/registry.js';

export interface PaperFolder {
  dir: string;
  /** What the page draws, section by section (the figures draw the same). */
  data: ReportData;
  affinity: AffinityArtefact & Record<string, unknown>;
  grouping?: GroupingArtefact;
  /** Every auxiliary ranking the folder holds: tra group --main's auxiliary.json, then tra auxiliary's per main task. */
  auxiliaries: { file: string; artefact: AuxiliaryArtefact }[];
  taxonomy?: TaxonomyArtefact;
  proxies?: ProxiesArtefact;
  baselines?: BaselinesArtefact;
}

/** Reads `dir` (affinity.json required: the InputError says how to make it); the other files when present. */
export function readPaperFolder(dir: string): PaperFolder {
  const data = reportData(readReportInput(dir));
  const read = <T>(file: string, reader: (path: string) => T): T | undefined =>
    existsSync(join(dir, file)) ? reader(join(dir, file)) : undefined;
  const grouping = read(GROUPING_FILES.json, readGrouping);
  return {
    dir,
    data,
    affinity: readAffinity(join(dir, AFFINITY_FILES.json)) as PaperFolder['affinity'],
    ...(grouping && !Array.isArray(grouping) ? { grouping } : {}),
    auxiliaries: [
      ...(existsSync(join(dir, AUXILIARY_FILES.json)) ? [join(dir, AUXILIARY_FILES.json)] : []),
      ...auxiliaryFilesIn(dir),
    ].map((path) => ({ file: relative(dir, path), artefact: readAuxiliary(path) })),
    ...optional('taxonomy', read(TAXONOMY_FILES.json, readTaxonomy)),
    ...optional('proxies', read(PROXIES_FILES.json, readProxies)),
    ...optional('baselines', read(BASELINES_FILES.json, readBaselines)),
  };
}

const optional = <K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };

/**
 * The auxiliary rankings as the page draws them, each with the name its table and figure take: `auxiliary` for tra
 * group --main's, `auxiliary-<main>` for each of tra auxiliary's (their folder's name).
 */
export function auxiliaryRankings(folder: PaperFolder): { name: string; file: string; ranking: AuxiliaryRanking }[] {
  const own = folder.data.auxiliary;
  return [
    ...(own ? [{ name: 'auxiliary', file: AUXILIARY_FILES.json, ranking: own }] : []),
    ...(folder.data.auxiliaryCandidates?.rankings ?? []).map((ranking) => {
      // named as tra auxiliary names the main task's folder, so the note 'all are in <file>' points at it
      const name = basename(auxiliaryFolderOf(folder.dir, ranking.main));
      return { name, file: `${name}/${AUXILIARY_FILES.json}`, ranking };
    }),
  ];
}
