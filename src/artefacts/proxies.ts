import { z } from '../vendor/zod.js';
import { writeFileAtomic } from '../io/write.js';
import {
  artefactObject,
  count,
  filesIn,
  finite,
  flag,
  interval,
  jsonNumber,
  list,
  matrix,
  object,
  readArtefact,
  text,
  writeCsv,
  writeJson,
} from './files.js';
import { provenanceSchema } from './affinity.js';

const indexGroups = list(list(count));

/** An estimate's average-linkage groupings priced with the sweep's measured test losses (src/grouping/matrixGrouping.ts). */
const matrixGroupingSchema = object({
  /** Mean over budgets of the ARI with exact selection. */
  meanAri: jsonNumber,
  /** Mean over budgets of clustering minus selection (total test loss; positive: the selection is better). */
  meanRegret: jsonNumber,
  points: list(
    object({
      method: text.optional(),
      budget: finite,
      groups: indexGroups.optional(),
      predicted: interval.optional(),
      versusSelection: interval.nullish(),
      ari: jsonNumber.optional(),
    }),
  ).optional(),
});

/** One proxy's estimate as the files record it: the registry's label and id, the matrix, its cost and what it implies. */
export const proxyEntrySchema = object({
  proxy: text,
  id: text.optional(),
  reference: text.optional(),
  matrix: matrix.optional(),
  seconds: finite.optional(),
  networksTrained: finite.optional(),
  deviation: text.optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  /** The grouping the estimate implies on its own; with predicted losses when the proxy models subsets. */
  implied: object({
    labels: list(count).optional(),
    groups: indexGroups,
    silhouette: jsonNumber,
    predictedLoss: list(list(jsonNumber)).optional(),
  }).optional(),
  /** Rank agreement with the sweep's matrix; points are ordered pairs of task indices. */
  agreement: object({
    proxy: text.optional(),
    spearman: jsonNumber,
    kendall: jsonNumber.optional(),
    points: list(object({ target: count, source: count, truth: jsonNumber, estimate: jsonNumber })),
  }).optional(),
  grouping: matrixGroupingSchema.nullish(),
});

/** proxies.json: every estimate and, compared with a sweep (`--truth`), its agreement and the sweep's own scale. */
export const proxiesSchema = artefactObject({
  provenance: provenanceSchema.optional(),
  /** The proxies run, their own options and the one replication (seed, fold) they trained on. */
  settings: z.record(z.string(), z.unknown()).optional(),
  taskNames: list(text),
  backend: text.optional(),
  proxies: list(proxyEntrySchema),
  truth: object({
    dir: text.optional(),
    sweepSeconds: jsonNumber.optional(),
    halfCorrelation: jsonNumber.optional(),
    reliability: jsonNumber.optional(),
    /** The sweep's own groupings, for scale next to the proxies'. */
    grouping: object({
      budgets: list(finite),
      /** Average linkage of the sweep's own gain matrix, priced the same way. */
      sweepMatrix: matrixGroupingSchema.optional(),
      /** ARI between the groupings of two disjoint halves of the replications: the seed noise of groupings. */
      halfVsHalfAri: jsonNumber,
    }).optional(),
  }).optional(),
  /** With --predict: the gains of the pairs a sweep did not train, predicted from those it did (docs/PREDICTOR.md). */
  predictor: object({
    dir: text,
    report: object({
      method: text,
      /** The trained cells' reliability beyond their seed noise, the calibrated slope, and whether the floor set it. */
      reliability: jsonNumber,
      slope: jsonNumber,
      slopeFloored: flag,
      trainedPairs: count,
      trainedCells: count,
      folds: count,
      /** Cross-validated (nested) over the trained pairs, against their measured means. */
      heldOutRmse: jsonNumber,
      heldOutSpearman: jsonNumber,
      /** The lower end of its 95% interval. */
      heldOutSpearmanLow: jsonNumber.optional(),
      /** Root mean square of the trained cells' seed-level standard errors. */
      noise: jsonNumber,
      /** The predictor's own error (the noise taken out) and its 95% upper bound. */
      error: jsonNumber,
      errorHigh: jsonNumber,
      /** The held-out RMSE of the trained gains' mean alone: what carries no information. */
      baselineRmse: jsonNumber,
      /** Whether a prediction may stand in: the upper bound within the noise, better than the mean, held-out Spearman's interval above 0. */
      standsIn: flag,
      halfWidth: jsonNumber,
      level: finite,
      features: list(
        object({
          id: text,
          label: text,
          spearman: jsonNumber,
          low: jsonNumber,
          high: jsonNumber,
          verdict: z.enum(['agrees', 'anti-correlates', 'reversed', 'unclear']),
          weight: jsonNumber,
        }),
      ),
    }),
    /** Every directed cell of an untrained pair: task i's predicted relative gain with partner j, never a measurement. */
    cells: list(
      object({
        task: count,
        partner: count,
        gain: jsonNumber,
        low: jsonNumber,
        high: jsonNumber,
        source: z.literal('predicted'),
      }),
    ),
  }).optional(),
}).superRefine((value, context) => {
  const T = value.taskNames.length;
  value.proxies.forEach((p, k) =>
    p.agreement?.points.forEach((q, m) => {
      for (const key of ['target', 'source'] as const)
        if (q[key] >= T)
          context.addIssue({
            code: 'custom',
            path: ['proxies', k, 'agreement', 'points', m, key],
            message: `expected a task index below ${T}`,
          });
    }),
  );
  value.predictor?.cells.forEach((c, m) => {
    for (const key of ['task', 'partner'] as const)
      if (c[key] >= T)
        context.addIssue({
          code: 'custom',
          path: ['predictor', 'cells', m, key],
          message: `expected a task index below ${T}`,
        });
  });
});

export type ProxyEntry = z.infer<typeof proxyEntrySchema>;
export type ProxiesArtefact = z.infer<typeof proxiesSchema>;

export const PROXIES_FILES = { json: 'proxies.json', csv: 'proxies.csv', section: 'proxies.md' };

const fixed = (x: number | null | undefined, digits = 2): string =>
  x === undefined || x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);

/** The report section in Markdown: a table of the proxies and the grouping each implies (readable without any sweep). */
function section({ taskNames, backend, proxies, predictor }: ProxiesArtefact): string {
  const names = (group: number[]): string => group.map((t) => taskNames[t]).join(' + ');
  const lines = [
    `## Cheap estimates of the task affinities (${taskNames.length} tasks, backend ${backend ?? 'n/a'})`,
    '',
    '| proxy | method | seconds | networks trained | implied groups | silhouette | Spearman vs sweep | Kendall vs sweep |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...proxies.map(
      (p) =>
        `| ${p.proxy} | ${p.reference ?? ''} | ${fixed(p.seconds, 1)} | ${p.networksTrained ?? 'n/a'} | ${p.implied?.groups.length ?? 'n/a'} | ${fixed(p.implied?.silhouette)} | ${fixed(p.agreement?.spearman)} | ${fixed(p.agreement?.kendall)} |`,
    ),
    '',
    'Each implied grouping is the average-linkage clustering of the symmetrised estimate, cut at the number of groups with the highest mean silhouette: it uses the estimate alone (training and validation rows), never a test loss.',
    '',
  ];
  for (const p of proxies) {
    if (!p.implied) continue;
    lines.push(`### ${p.proxy}`, '');
    if (p.deviation) lines.push(`Deviation from the paper: ${p.deviation}.`, '');
    p.implied.groups.forEach((g, k) => {
      const predicted = p.implied?.predictedLoss?.[k];
      lines.push(
        `- ${names(g)}${predicted ? ` (predicted validation loss ${predicted.map((l) => fixed(l, 3)).join(', ')})` : ''}`,
      );
    });
    lines.push('');
  }
  if (predictor) lines.push(...predictorSection(predictor, taskNames));
  return lines.join('\n');
}

/** Whether the predictions may stand in for measurements, and why, in one sentence. */
export function standIn(report: NonNullable<ProxiesArtefact['predictor']>['report']): string {
  if (report.standsIn) return 'Within the noise: a prediction is as close as a measurement on as many seeds would be.';
  if ((report.heldOutRmse ?? 0) >= (report.baselineRmse ?? 0) || !((report.heldOutSpearmanLow ?? 0) > 0))
    return "No better than the trained gains' mean, or not ranking the held-out pairs clearly the right way (the 95% interval of their Spearman reaches 0): the predictions do not tell the cells apart reliably, so they do not stand in for measurements; train the pairs that matter.";
  return 'Larger than the noise: the predictions do not stand in for measurements; train the pairs that matter.';
}

/** The predicted gains of the untrained pairs, each marked predicted, after the predictor's error against the noise. */
function predictorSection(predictor: NonNullable<ProxiesArtefact['predictor']>, taskNames: string[]): string[] {
  const { report, cells } = predictor;
  const percent = Math.round(report.level * 100);
  return [
    `### Predicted gains of the pairs ${predictor.dir} did not train`,
    '',
    `Learnt from ${report.trainedPairs} trained pairs: ${report.method}.`,
    '',
    ...(report.slopeFloored
      ? [
          "The trained gains show no slope along the features' score: the predictions stay near the trained mean, ranked by the features' built-in directions, which these measurements could not check.",
          '',
        ]
      : []),
    `Held-out error (cross-validated over the trained pairs): RMSE ${fixed(report.heldOutRmse, 4)} (the trained gains' mean alone: ${fixed(report.baselineRmse, 4)}), Spearman ${fixed(report.heldOutSpearman)}; the predictor's own error ${fixed(report.error, 4)} (95% upper bound ${fixed(report.errorHigh, 4)}) against a measurement noise of ${fixed(report.noise, 4)} (seed-level standard error). ${standIn(report)}`,
    '',
    ...report.features
      .filter((f) => f.verdict === 'anti-correlates')
      .map(
        (f) =>
          `- ${f.label} anti-correlates with the measured gains on this data (Spearman ${fixed(f.spearman)} [${fixed(f.low)}, ${fixed(f.high)}]): ${(f.weight ?? 0) < 0 ? `the predictor uses it reversed (weight ${fixed(f.weight, 4)})` : 'the trained cells are too noisy to overrule its prior: the predictor does not use it reversed'}.`,
      ),
    `Weighted negatively without clear evidence: ${
      report.features
        .filter((f) => f.verdict === 'reversed')
        .map((f) => f.label)
        .join(', ') || 'none'
    }.`,
    '',
    `| task | partner | predicted gain | ${percent}% interval |`,
    '| --- | --- | ---: | --- |',
    ...cells.map(
      (c) =>
        `| ${taskNames[c.task]} | ${taskNames[c.partner]} | ${fixed(c.gain, 4)} (predicted) | [${fixed(c.low, 4)}, ${fixed(c.high, 4)}] |`,
    ),
    '',
  ];
}

/**
 * proxies.json (every estimate, its cost, implied grouping and, with a sweep, its agreement), proxies.csv (one row per
 * ordered pair, a column per proxy) and proxies.md (the report section).
 */
export function writeProxies(dir: string, data: ProxiesArtefact): typeof PROXIES_FILES {
  const files = filesIn(dir, PROXIES_FILES);
  writeJson(files.json, data);
  const { taskNames, proxies } = data;
  writeCsv(
    files.csv,
    taskNames.flatMap((target, i) =>
      taskNames.flatMap((source, j) =>
        i === j
          ? []
          : [{ target, source, ...Object.fromEntries(proxies.map((p) => [p.id ?? p.proxy, p.matrix?.[i]?.[j]])) }],
      ),
    ),
  );
  writeFileAtomic(files.section, section(data));
  return files;
}

/** A checked proxies.json: an InputError names the file and the field of the first problem. */
export const readProxies = (path: string): ProxiesArtefact => readArtefact(proxiesSchema, path, 'proxies');
