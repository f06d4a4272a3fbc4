import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from '../vendor/zod.js';
import { provenanceSchema } from './affinity.js';
import {
  artefactObject,
  filesIn,
  finite,
  interval,
  jsonNumber,
  list,
  object,
  readArtefact,
  text,
  writeCsv,
  writeJson,
} from './files.js';

/** 'no significant help': auxiliary.json files written before the verdicts were FDR-controlled. */
const VERDICTS = ['helps', 'hurts', 'no evidence', 'no significant help'] as const;

/** One ranked auxiliary (gains as fractions, e.g. 0.023 = +2.3 %); `tra auxiliary` adds what the candidate is. */
const rankSchema = object({
  task: text,
  mean: finite,
  /** null: one seed, no interval. */
  low: jsonNumber,
  high: jsonNumber,
  n: finite.optional(),
  p: jsonNumber.optional(),
  verdict: z.enum(VERDICTS, { error: `expected one of ${VERDICTS.map((v) => `'${v}'`).join(', ')}` }),
  kind: text.optional(),
  rule: text.optional(),
  columns: list(object({ names: list(text), replications: finite })).optional(),
  validationGain: jsonNumber.optional(),
  netGain: interval.optional(),
  heuristics: z.record(z.string(), jsonNumber).optional(),
});

/** One heuristic's rank agreement with the measured gains of the auxiliary candidates. */
const heuristicSchema = object({
  label: text,
  source: text,
  /** +1: the literature expects larger values to mean larger gains. */
  expected: finite,
  spearman: jsonNumber,
  spearmanLow: jsonNumber,
  spearmanHigh: jsonNumber,
  kendall: jsonNumber,
  /** The candidate the heuristic would pick, and that candidate's measured rank (1: best). */
  pick: text.nullable(),
  pickRank: jsonNumber,
});

/** auxiliary.json: which tasks (tra group) or candidates built from the data (tra auxiliary) help one main task. */
export const auxiliarySchema = artefactObject({
  provenance: provenanceSchema.optional(),
  main: text,
  /** The decision in plain words and its evidence in one line. */
  decision: object({ headline: text, evidence: text }).optional(),
  level: finite.optional(),
  fdr: finite.optional(),
  gain: text.optional(),
  inference: text.optional(),
  replications: list(text).optional(),
  seeds: list(text).optional(),
  ranking: list(rankSchema),
  /** tra group: the main task trained with its top-k auxiliaries together: its gain over training alone. */
  top: object({ tasks: list(text), gain: interval }).nullish(),
  /** tra auxiliary: how well each cheap heuristic ranks the candidates as their measured gains do. */
  heuristics: list(heuristicSchema).optional(),
  /** tra auxiliary: the set chosen on validation. */
  recommended: object({ candidates: list(text), rule: text }).optional(),
  /** tra auxiliary: the recommended set trained on fresh seeds. */
  closedLoop: object({
    seeds: list(finite),
    set: list(text),
    gain: interval,
    netGain: interval,
    bestSingleNetGain: interval.optional(),
  }).nullish(),
});

export type AuxiliaryArtefact = z.infer<typeof auxiliarySchema>;
export type HeuristicAgreement = z.infer<typeof heuristicSchema>;

export const AUXILIARY_FILES = { json: 'auxiliary.json', candidates: 'auxiliary-candidates.csv' };

/** A name as one path segment: anything but letters, digits, '.', '-' and '_' becomes '_'. */
export const folderName = (text: string): string => text.replace(/[^\w.-]+/g, '_');

/**
 * `tra auxiliary`'s folder for one main task: its journals, its auxiliary.json and auxiliary-candidates.csv. One
 * folder per main task, so that a run for another main task (or `tra group --main`, whose auxiliary.json is the
 * folder's own) keeps what this one found.
 */
export const auxiliaryFolderOf = (out: string, main: string): string => join(out, `auxiliary-${folderName(main)}`);

/** The auxiliary.json of every main task `tra auxiliary` ran for in `out`, by folder name. */
export function auxiliaryFilesIn(out: string): string[] {
  if (!existsSync(out)) return [];
  return readdirSync(out, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('auxiliary-'))
    .map((entry) => join(out, entry.name, AUXILIARY_FILES.json))
    .filter((path) => existsSync(path))
    .sort();
}

/** auxiliary.json and, for `tra auxiliary`'s candidates (a recommended set), auxiliary-candidates.csv (one row per candidate). */
export function writeAuxiliary(dir: string, data: AuxiliaryArtefact): string[] {
  const files = filesIn(dir, AUXILIARY_FILES);
  writeJson(files.json, data);
  if (!data.recommended) return [files.json];
  writeCsv(
    files.candidates,
    data.ranking.map((r, rank) => ({
      rank: rank + 1,
      candidate: r.task,
      kind: r.kind,
      gain: r.mean,
      ci_low: r.low,
      ci_high: r.high,
      p: r.p,
      verdict: r.verdict,
      validation_gain: r.validationGain,
      net_gain: r.netGain?.mean ?? '',
      ...r.heuristics,
    })),
  );
  return [files.json, files.candidates];
}

/** A checked auxiliary.json: an InputError names the file and the field of the first problem. */
export const readAuxiliary = (path: string): AuxiliaryArtefact => readArtefact(auxiliarySchema, path, 'auxiliary');
