import { z } from '../vendor/zod.js';
import { affinityGraph } from '../affinity/graph.js';
import {
  artefactObject,
  count,
  filesIn,
  finite,
  jsonNumber,
  jsonValue,
  list,
  matrix,
  matrixOf,
  numberMatrix,
  object,
  parseArtefact,
  readArtefact,
  text,
  writeJson,
} from './files.js';
import { csvLines } from '../io/csv.js';
import { writeFileAtomic } from '../io/write.js';
import { lookAlikeProblem, nameProblem } from '../data/names.js';
import { LOSS_MAX, LOSS_MIN, lossProblem } from '../data/numbers.js';

/** How an artefact was made (src/report/provenance.ts writes it); every field optional for hand-made files. */
export const provenanceSchema = object({
  tool: text.optional(),
  toolVersion: text.optional(),
  node: text.optional(),
  tfjs: text.optional(),
  backends: list(text).optional(),
  /** The command line that reproduces the run, e.g. `tra run analyses/emotions-pairwise.json`. */
  command: text.optional(),
  data: object({ source: text.optional(), sha256: text.optional(), rows: finite.optional() }).optional(),
  configHash: text.optional(),
  createdAt: text.optional(),
  sweepSeconds: finite.optional(),
  /** Present when the losses were measured elsewhere and imported (`tra import`). */
  imported: object({ schema: text.optional(), files: list(text).optional(), metric: text.optional() }).optional(),
  /** The user's model module, when the networks were not the built-in MLP. */
  model: object({ source: text.optional(), sha256: text.optional() }).optional(),
  /** The user's training command, when it trained the networks. */
  trainingCommand: object({
    argv: list(text).optional(),
    code: list(object({ source: text.optional(), sha256: text.optional() })).optional(),
  }).optional(),
  /** How tra started the networks of a seed, when tra trained them. */
  initialisation: text.optional(),
  /** grouping.json: the journal the grouping was chosen from. */
  sweepJournal: text.optional(),
  /** The machine that wrote the artefact. */
  machine: object({
    cpu: text.optional(),
    cores: finite.optional(),
    memoryGB: finite.optional(),
    os: text.optional(),
  }).optional(),
});

// Values that mean something only within a range: a file edited (or written) outside it is refused, not drawn.
/** A gain 1 − L_pair / L_single is at most 1 (no loss is negative); with losses from 1e-100 to 1e100 it stays above −1e200. */
const gains = numberMatrix(
  (v) => v <= 1 + 1e-9 && v >= 1 - LOSS_MAX / LOSS_MIN,
  `a gain 1 − L_pair / L_single lies between ${1 - LOSS_MAX / LOSS_MIN} and 1`,
);
/** An interval's bound may pass 1 (a t-interval around a gain near 1), not the range a gain can have. */
const bounds = numberMatrix(
  (v) => Math.abs(v) <= LOSS_MAX / LOSS_MIN,
  `an interval's bound lies between ${-LOSS_MAX / LOSS_MIN} and ${LOSS_MAX / LOSS_MIN}`,
);
const share = (what: string) => finite.gt(0, { error: what }).lt(1, { error: what });
const correlation = jsonNumber.refine((v) => v === null || (v >= -1 - 1e-9 && v <= 1 + 1e-9), {
  error: 'a correlation lies in [−1, 1]',
});
/** Spearman–Brown's 2r / (1 + r) of a correlation r in [−1, 1] is at most 1. */
const reliabilityValue = jsonNumber.refine((v) => v === null || v <= 1 + 1e-9, { error: 'a reliability is at most 1' });
const lossValue = jsonNumber.refine((v) => v === null || lossProblem(v, true) === undefined, {
  error: `a loss lies between ${LOSS_MIN} and ${LOSS_MAX} (or is 0)`,
});

/** A task name every view shows: no control characters (data/names.ts). */
const taskName = text.superRefine((name, context) => {
  const problem = nameProblem(name);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

/**
 * affinity.json: the task-affinity matrix with its uncertainty (src/affinity/estimate.ts) and what surrounds it. Only
 * taskNames and the three matrices are required; every other field is read when present and kept when unknown.
 */
export const affinitySchema = artefactObject({
  provenance: provenanceSchema.optional(),
  /** Data set summary (src/data/describe.ts). */
  data: object({
    rows: finite.optional(),
    features: finite.optional(),
    tasks: list(
      object({
        name: text,
        kind: text.optional(),
        mean: jsonNumber.optional(),
        sd: jsonNumber.optional(),
        min: jsonNumber.optional(),
        max: jsonNumber.optional(),
      }),
    ).optional(),
  }).optional(),
  /** The analysis settings (`tra run` records its name, engine and split). */
  config: object({
    name: text.optional(),
    seeds: z.union([text, finite]).optional(),
    split: object({ kind: text.optional(), folds: finite.optional() }).optional(),
    engine: object({
      epochs: finite.optional(),
      patience: finite.optional(),
      hidden: list(finite).optional(),
      learningRate: finite.optional(),
      batchSize: finite.optional(),
    }).optional(),
    epochs: finite.optional(),
  }).optional(),
  taskNames: list(taskName).min(1, { error: 'must be a non-empty list of task names' }),
  /** Replication keys `s<seed>` or `s<seed>f<fold>`. */
  replications: list(text).optional(),
  /** Confidence level of low/high, e.g. 0.95. */
  level: share('a confidence level lies strictly between 0 and 1').optional(),
  /** Standley gain 1 − L_i({i,j}) / L_i({i}): how much task j (column) helps task i (row). */
  mean: gains,
  low: bounds,
  high: bounds,
  /** Symmetric group score (mean of both directed gains); the report derives it from `mean` if absent. */
  groupScore: gains.optional(),
  perReplication: list(gains).optional(),
  /** Mean single-task test loss per task. */
  singleLoss: list(lossValue).optional(),
  reliability: object({
    halfCorrelation: correlation,
    reliability: reliabilityValue,
    replications: count,
    splits: count.optional(),
  }).optional(),
  /** The planner's estimate of this run's training against its measured time (src/sweep/planner.ts PlanCheck). */
  plan: object({
    networks: count,
    predictedSeconds: finite,
    measuredSeconds: finite,
    from: text,
  }).optional(),
  /**
   * Where each cell's number comes from when an allocation strategy trained only some pairs (src/allocation): per
   * directed cell, measured (trained in full on `seeds` seeds), approximated (short runs only) or predicted (no network:
   * the gain predictor's); only measured cells have intervals, verdicts and a place in the reliability.
   */
  cells: object({
    method: text.optional(),
    source: list(list(z.enum(['measured', 'approximated', 'predicted']).nullable())),
    seeds: matrix.optional(),
  }).optional(),
  /** How the allocation went: strategy, why it stopped, its rounds and cost, the short runs' agreement with full training. */
  allocation: object({
    strategy: text,
    description: text.optional(),
    stop: text.optional(),
    networkEpochs: finite.optional(),
    fullSweepNetworkEpochs: finite.optional(),
    shortJournalPath: text.optional(),
    rounds: list(
      object({
        round: count,
        networks: count,
        shortRuns: count,
        networkEpochs: finite,
        expectedRegret: jsonNumber,
      }),
    ).optional(),
    shortRuns: object({
      epochs: count,
      cells: count,
      spearman: jsonNumber,
      intercept: finite.optional(),
      slope: finite.optional(),
      error: jsonNumber,
      combined: count.optional(),
    }).optional(),
  }).optional(),
  /** Per-cell paired tests (src/affinity/inference.ts). */
  inference: object({
    method: text.optional(),
    fdr: share('a false-discovery rate lies strictly between 0 and 1').optional(),
    pValue: numberMatrix((v) => v >= 0 && v <= 1 + 1e-9, 'a p-value lies in [0, 1]').optional(),
    verdict: matrixOf(text.nullable(), (v) => v === null || typeof v === 'string').optional(),
    counts: z.record(z.string(), finite).optional(),
  }).optional(),
}).superRefine((value, context) => {
  const T = value.taskNames.length;
  const lookAlike = lookAlikeProblem(value.taskNames);
  if (lookAlike) context.addIssue({ code: 'custom', path: ['taskNames'], message: lookAlike });
  for (const key of ['mean', 'low', 'high', 'groupScore', 'pValue'] as const) {
    const m = key === 'pValue' ? value.inference?.pValue : value[key];
    if (m && (m.length !== T || m.some((row) => row.length !== T)))
      context.addIssue({
        code: 'custom',
        path: key === 'pValue' ? ['inference', key] : [key],
        message: `expected a ${T}x${T} matrix (one row and column per task)`,
      });
  }
  // an interval holds its mean
  value.mean.forEach((row, i) =>
    row.forEach((mean, j) => {
      const low = value.low[i]?.[j];
      const high = value.high[i]?.[j];
      if (mean !== null && low != null && high != null && !(low <= mean + 1e-9 && mean <= high + 1e-9))
        context.addIssue({
          code: 'custom',
          path: ['low', i, j],
          message: `the interval [${low}, ${high}] does not hold its mean ${mean} (row ${i + 1}, column ${j + 1})`,
        });
    }),
  );
});

export type AffinityArtefact = z.infer<typeof affinitySchema>;

export const AFFINITY_FILES = { json: 'affinity.json', csv: 'affinity.csv', graph: 'affinity-graph.json' };

/**
 * Above this many tasks affinity-graph.json keeps each task's GRAPH_SOURCES_PER_TASK strongest sources: an edge per
 * ordered pair (a million at 1000 tasks, 228 MB) repeats affinity.json and is more than a graph tool can draw.
 */
export const GRAPH_EVERY_PAIR_UP_TO = 200;
export const GRAPH_SOURCES_PER_TASK = 10;

/**
 * affinity.json (everything), affinity.csv (one row per ordered pair) and affinity-graph.json (a graphology export),
 * each written as it is made (never one string: 500 MB at 1000 tasks), whole or not at all.
 */
export function writeAffinity(dir: string, data: AffinityArtefact): typeof AFFINITY_FILES {
  const files = filesIn(dir, AFFINITY_FILES);
  writeJson(files.json, data);
  writeFileAtomic(files.csv, csvLines(affinityRows(data)));
  const strongest = data.taskNames.length > GRAPH_EVERY_PAIR_UP_TO ? GRAPH_SOURCES_PER_TASK : undefined;
  writeJson(files.graph, {
    provenance: data.provenance,
    ...(strongest ? { strongestSourcesPerTask: strongest } : {}),
    graph: affinityGraph(data, strongest).export(),
  });
  return files;
}

/** affinity.csv's header, then one row per ordered pair (target, source). */
function* affinityRows(data: AffinityArtefact): Generator<unknown[]> {
  const { taskNames, mean, low, high, groupScore, replications, cells } = data;
  const { pValue, verdict } = data.inference ?? {};
  const tests = pValue && verdict ? { pValue, verdict } : undefined;
  yield [
    'target',
    'source',
    'gain',
    'ci_low',
    'ci_high',
    'group_score',
    'replications',
    ...(cells ? ['cell_source', 'cell_seeds'] : []),
    ...(tests ? ['p_value', 'verdict'] : []),
  ];
  for (let i = 0; i < taskNames.length; i++)
    for (let j = 0; j < taskNames.length; j++)
      if (i !== j)
        yield [
          taskNames[i],
          taskNames[j],
          mean[i][j],
          low[i][j],
          high[i][j],
          groupScore?.[i][j],
          replications?.length,
          ...(cells ? [cells.source[i][j], cells.seeds?.[i][j]] : []),
          ...(tests ? [tests.pValue[i][j], tests.verdict[i][j]] : []),
        ];
}

/** A checked affinity.json: an InputError names the file and the field of the first problem. */
export const readAffinity = (path: string): AffinityArtefact => readArtefact(affinitySchema, path, 'affinity');

/**
 * What readAffinity(path) gives back once writeAffinity has written `data` to path, made from `data` without reading
 * the file (116 MB of text at 1000 tasks, parsed then checked: about 400 MB of the writing step's peak): the same
 * checked value, the same errors.
 */
export const affinityAsRead = (data: AffinityArtefact, path: string): AffinityArtefact =>
  parseArtefact(affinitySchema, jsonValue(data), path, 'affinity');
