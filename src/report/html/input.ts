/**
 * What an HTML report is drawn from. Only `affinity` is required; every other section is drawn only when present,
 * so a report of a bare sweep is complete. Numbers may be `null` wherever the JSON writers turned NaN into null
 * (e.g. an interval from a single replication); the report shows those as "n/a".
 *
 * Task names are untrusted text: the report renders them as text only, never as markup. The files' own shapes live in
 * src/artefacts/; the types here are what the views draw. Proxies and baselines are drawn in a shape of the report's
 * own (task names instead of indices, one row per task): their schemas are here, and their types inferred from them.
 */
import type { z } from 'zod';
import type { AffinityArtefact } from '../../artefacts/affinity.js';
import type { AuxiliaryArtefact } from '../../artefacts/auxiliary.js';
import { finite, groups, interval, jsonNumber, list, object, text } from '../../artefacts/files.js';
import type { GroupingArtefact } from '../../artefacts/grouping.js';
import type { TaxonomyArtefact } from '../../artefacts/taxonomy.js';

export type { BudgetPoint } from '../../artefacts/grouping.js';
export type { HeuristicAgreement } from '../../artefacts/auxiliary.js';
export type { IntervalJson, JsonMatrix, JsonNumber } from '../../artefacts/files.js';
import type { SectionInputs } from '../views/registry.js';

/** The parsed `reports/<name>/affinity.json` (src/artefacts/affinity.ts). */
export type AffinityFile = AffinityArtefact;

/** The fields of grouping.json the report draws; the rest (provenance, settings) is left out when it is read. */
export const GROUPING_FIELDS = [
  'curve',
  'level',
  'replications',
  'chosenBudget',
  'infeasibleBudgets',
  'clustering',
  'earlyStopping',
  'stability',
  'pairwiseApproximation',
  'closedLoop',
  'decision',
  'warnings',
  'candidates',
  'optimalOverEveryGroup',
] as const;
/** grouping.json as the report draws it (all but `curve` optional). */
export type GroupingReport = Pick<GroupingArtefact, (typeof GROUPING_FIELDS)[number]>;
export type ClosedLoop = NonNullable<GroupingArtefact['closedLoop']>;
export type ClusteringAlternative = NonNullable<GroupingArtefact['clustering']>[number];
export type EarlyStoppingRow = NonNullable<GroupingArtefact['earlyStopping']>[number];

/** auxiliary.json (src/artefacts/auxiliary.ts): which tasks or candidates help one main task. */
export type AuxiliaryRanking = AuxiliaryArtefact;

/** The taxonomy the report draws: taxonomy.json's nodes and edges (src/artefacts/taxonomy.ts). */
export type Taxonomy = Pick<TaxonomyArtefact, 'nodes' | 'edges'>;

/** How well one cheap proxy agrees with the full sweep's matrix. */
export const proxyAgreementSchema = object({
  proxy: text,
  /** One point per ordered pair: `truth` is the sweep's gain, `estimate` the proxy's value (null: undefined, not drawn). */
  points: list(object({ source: text, target: text, truth: jsonNumber, estimate: jsonNumber })),
  /** Spearman rank correlation of estimate against truth. */
  spearman: jsonNumber,
  /** The grouping the proxy's matrix induces (average linkage), priced with the sweep's measured test losses. */
  grouping: object({
    /** Mean over budgets of the ARI with exact selection. */
    meanAri: jsonNumber,
    /** Mean over budgets of clustering minus selection (total test loss; positive: the selection is better). */
    meanRegret: jsonNumber,
    points: list(
      object({
        budget: finite,
        groups: groups.optional(),
        ari: jsonNumber.optional(),
        versusSelection: interval.nullish(),
      }),
    ).optional(),
  }).optional(),
});
export type ProxyAgreement = z.infer<typeof proxyAgreementSchema>;

/** proxies.json as the report reads it: the agreements and, when there was a sweep, its own grouping numbers. */
export const proxiesReportSchema = object({
  proxies: list(proxyAgreementSchema),
  truth: object({
    /** The full sweep's own groupings, for scale next to the proxies'. */
    grouping: object({
      budgets: list(finite),
      /** Average linkage of the sweep's own gain matrix, priced the same way. */
      sweepMatrix: object({ meanAri: jsonNumber, meanRegret: jsonNumber }).optional(),
      /** ARI between the groupings of two disjoint halves of the replications: the seed noise of groupings. */
      halfVsHalfAri: jsonNumber,
    }).optional(),
  }).optional(),
});
export type ProxiesReport = z.infer<typeof proxiesReportSchema>;

/** Linear multi-task baselines: held-out loss per task (rows) and method (columns); lower is better. */
export const baselinesReportSchema = object({
  columns: list(text),
  rows: list(object({ task: text, values: list(jsonNumber), metric: text.optional() })),
  /** Optional per-column total (e.g. the sum of raw losses, as Standley et al. compare them). */
  total: list(jsonNumber).optional(),
}).superRefine((value, context) => {
  const width = value.columns.length;
  value.rows.forEach(
    (r, k) =>
      r.values.length !== width &&
      context.addIssue({
        code: 'custom',
        path: ['rows', k, 'values'],
        message: `${r.values.length} values for ${width} columns`,
      }),
  );
  if (value.total && value.total.length !== width)
    context.addIssue({ code: 'custom', path: ['total'], message: `${value.total.length} values for ${width} columns` });
});
export type Baselines = z.infer<typeof baselinesReportSchema>;

/** What the report is drawn from: affinity.json and, optionally, each file section's input (views/registry.ts). */
export interface ReportInput extends SectionInputs {
  affinity: AffinityFile;
  /** The command that wrote each file the page draws (the folder's files, as `tra report` reads them): REPRODUCE lists them. */
  madeBy?: MadeBy[];
  /** Report title; defaults to the analysis name (from config or the command) or the data file's name. */
  title?: string;
}

/** A file of the folder and the command line that wrote it (its provenance). */
export interface MadeBy {
  file: string;
  command: string;
}

/** The object form of either proxies shape (a bare list has no sweep grouping numbers). */
export const proxiesReport = (proxies: ProxiesReport | ProxyAgreement[]): ProxiesReport =>
  Array.isArray(proxies) ? { proxies } : proxies;
