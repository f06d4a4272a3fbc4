import { csvText } from '../io/csv.js';
import { writeFileAtomic } from '../io/write.js';
import { z } from '../vendor/zod.js';
import { provenanceSchema } from './affinity.js';
import {
  artefactObject,
  filesIn,
  finite,
  flag,
  jsonNumber,
  list,
  matrix,
  object,
  parseArtefact,
  readJson,
  text,
  writeJson,
} from './files.js';

const consistencySchema = object({
  task: text,
  lambdaMax: jsonNumber,
  consistencyIndex: jsonNumber,
  consistencyRatio: jsonNumber,
});

/**
 * taxonomy.json as `tra taxonomy` writes it: the drawn budget's directed taxonomy at the top level (an edge source →
 * target means source transfers to target; `source: true` marks a task trained from scratch), the selection at every
 * budget, the first-order matrices and every measured transfer. The report reads `nodes` and `edges`.
 */
export const taxonomySchema = artefactObject({
  provenance: provenanceSchema.optional(),
  backend: text.optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  replications: list(text).optional(),
  taskNames: list(text).optional(),
  /** The budget drawn as nodes and edges. */
  budget: finite.optional(),
  nodes: list(object({ name: text, source: flag })),
  /** `score` is the strength of the transfer (its AHP weight). */
  edges: list(
    object({ source: text, target: text, score: finite, order: finite.optional(), ownNetworkBetter: flag.optional() }),
  ),
  curve: list(
    object({
      budget: finite,
      sources: list(text),
      total: jsonNumber,
      served: list(
        object({
          target: text,
          sources: list(text),
          own: flag,
          order: finite,
          score: jsonNumber,
          ownScore: jsonNumber,
          ownNetworkBetter: flag,
        }),
      ),
    }),
  ).optional(),
  /** T×T matrices: [target][source] test loss of the transfer and its AHP affinity (the diagonal is the target's own network). */
  firstOrder: object({ loss: matrix, affinity: matrix, consistency: list(consistencySchema).optional() }).optional(),
  transfers: list(
    consistencySchema.extend({
      candidates: list(object({ sources: list(text), order: finite, meanTestLoss: jsonNumber, score: jsonNumber })),
    }),
  ).optional(),
  beamSets: list(object({ target: text, sets: list(list(text)) })).optional(),
  /** Against the pairwise sweep's gain matrix in the same folder, when there is one. */
  comparison: object({
    with: text,
    spearman: jsonNumber,
    kendall: jsonNumber,
    meanWithinTarget: jsonNumber,
    cells: finite,
  }).optional(),
});

export type TaxonomyArtefact = z.infer<typeof taxonomySchema>;

export const TAXONOMY_FILES = {
  json: 'taxonomy.json',
  losses: 'taxonomy-losses.csv',
  affinity: 'taxonomy-affinity.csv',
};

/** A T×T matrix as CSV: one row per target, one column per source. */
const matrixCsv = (taskNames: string[], matrix: (number | null)[][]): string =>
  csvText([['target', ...taskNames], ...matrix.map((row, t) => [taskNames[t], ...row])]);

/** taxonomy.json (everything) and, with the first-order matrices, each as CSV. */
export function writeTaxonomy(dir: string, data: TaxonomyArtefact): typeof TAXONOMY_FILES {
  const files = filesIn(dir, TAXONOMY_FILES);
  writeJson(files.json, data);
  if (data.taskNames && data.firstOrder) {
    writeFileAtomic(files.losses, matrixCsv(data.taskNames, data.firstOrder.loss));
    writeFileAtomic(files.affinity, matrixCsv(data.taskNames, data.firstOrder.affinity));
  }
  return files;
}

/** A taxonomy drawn elsewhere, as graphology exports it: {nodes: [{key, attributes: {source}}], edges: [{source, target, attributes: {score | gain | weight}}]}. */
const graphologySchema = object({
  nodes: list(object({ key: text, attributes: object({ source: flag.optional() }).optional() })),
  edges: list(
    object({
      source: text,
      target: text,
      attributes: object({ score: finite.optional(), gain: finite.optional(), weight: finite.optional() }).optional(),
    }),
  ),
});

const isGraphologyExport = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as { nodes?: unknown }).nodes) &&
  (value as { nodes: unknown[] }).nodes.some((n) => typeof n === 'object' && n !== null && 'key' in n);

/** A checked taxonomy.json (a graphology export of the graph is read as its nodes and edges); an InputError names the file and field. */
export function readTaxonomy(path: string): TaxonomyArtefact {
  const value = readJson(path);
  if (!isGraphologyExport(value)) return parseArtefact(taxonomySchema, value, path, 'taxonomy');
  const graph = parseArtefact(graphologySchema, value, path, 'taxonomy');
  const edges = graph.edges.map(({ source, target, attributes: a }) => ({
    source,
    target,
    score: a?.score ?? a?.gain ?? a?.weight,
  }));
  return parseArtefact(
    taxonomySchema,
    { nodes: graph.nodes.map((n) => ({ name: n.key, source: n.attributes?.source === true })), edges },
    path,
    'taxonomy',
  );
}
