import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { Dataset, TaskKind } from '../data/dataset.js';
import { loadDataset } from '../data/load.js';
import { InputError } from '../data/errors.js';
import { issuesText } from '../data/schemaIssues.js';
import { DEFAULT_FRACTIONS, type SplitScheme } from '../data/split.js';
import { BACKENDS, type BackendName } from '../engine/backend.js';
import { DEFAULT_ENGINE, MAX_WIDTH, type EngineSettings } from '../engine/settings.js';
import { defaultWorkers } from '../engine/parallel.js';
import { parseSeeds } from '../sweep/plan.js';

/** A named, runnable pairwise analysis: what `tra run` reads from analyses/*.json and what `tra sweep` builds from flags. */
export interface AnalysisSpec {
  name: string;
  description?: string;
  /** CSV path (relative paths in a definition file are relative to that file); equal to `model` when the model's loadData supplies the data. */
  data: string;
  /** The user's model: an ES module exporting a trunk builder (and optionally a data loader); absent: the built-in MLP. */
  model?: string;
  tasks: string;
  features?: string;
  taskKind: 'auto' | TaskKind;
  /** A count N (seeds 0..N-1) or a comma-separated list. */
  seeds: string;
  /** Extra groups beyond singles and pairs, `a+b+c;d+e`. */
  groups?: string;
  engine: EngineSettings;
  split: SplitScheme;
  /** Output folder; default reports/<name>. */
  out: string;
  backend?: BackendName;
  /** Worker threads (one tfjs instance each) per fused batch; default: the machine's cores. */
  workers: number;
  /** Confidence level of the intervals. */
  level: number;
  /** False-discovery rate of the per-cell verdicts. */
  fdr: number;
  /** Null-control tasks (permuted copies of real tasks) to sweep alongside the real ones. */
  nullTasks: number;
  /** Judge each cell against the null controls' effect on the same task instead of against zero. */
  subtractNullBias: boolean;
  /** Keep adding seeds until the matrix reaches this split-half reliability (or the time budget runs out). */
  untilReliability?: number;
  /** Time budget of an adaptive run, in minutes. */
  maxMinutes: number;
  /** Columns known only after prediction time: never inputs (nor tasks), only candidate auxiliary targets (tra auxiliary). */
  auxiliaryOnly: string[];
  /** Per quantised task, a continuous column that is its smoother version (never an input; a candidate auxiliary of that task). */
  smoothers: Record<string, string>;
}

/** Cross-fitting over 5 folds unless the definition asks for PROTOCOL.md's holdout split. */
export const DEFAULT_SPLIT: SplitScheme = { kind: 'kfold', folds: 5 };

const share = z.number().gt(0).lt(1);
const count = (min: number, max: number) => z.number().int().min(min).max(max);

const engineSchema = z.strictObject({
  hidden: z
    .array(count(1, MAX_WIDTH))
    .min(1)
    .default(DEFAULT_ENGINE.hidden)
    .describe('trunk hidden layer widths, e.g. [64, 64]'),
  learningRate: z.number().gt(0).lt(10).default(DEFAULT_ENGINE.learningRate).describe('Adam learning rate'),
  batchSize: count(1, 10_000_000).default(DEFAULT_ENGINE.batchSize),
  epochs: count(1, 100_000).default(DEFAULT_ENGINE.epochs).describe('the most epochs a network trains'),
  patience: count(0, 100_000)
    .default(DEFAULT_ENGINE.patience ?? 0)
    .describe('stop a network after this many epochs without a lower validation loss; 0: train every epoch'),
  taskWeights: z
    .array(z.number().min(0).max(1e6))
    .optional()
    .describe('per-task loss weights in task order (null-control tasks last); default all 1'),
});

const kfoldSchema = z.strictObject({
  kind: z.literal('kfold'),
  folds: count(3, 1000).default(DEFAULT_SPLIT.kind === 'kfold' ? DEFAULT_SPLIT.folds : 5),
});
const holdoutSchema = z
  .strictObject({
    kind: z.literal('holdout'),
    validation: share.default(DEFAULT_FRACTIONS.validation),
    test: share.default(DEFAULT_FRACTIONS.test),
  })
  .refine((s) => s.validation + s.test < 1, {
    message: 'validation + test must leave rows for training (their sum below 1)',
  });
// A split without `kind` is the default k-fold one; a string such as "holdout" is an error, not a silent default.
const splitSchema = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value)
      ? { ...value, kind: DEFAULT_SPLIT.kind }
      : value,
  z.discriminatedUnion('kind', [kfoldSchema, holdoutSchema]),
);

/**
 * The analysis definition format (`tra run <definition>`; `tra sweep` builds the same object from its flags). Every
 * field, at every depth, is typed; unknown fields are errors. `tra schema` prints it as JSON Schema.
 */
export const definitionSchema = z
  .strictObject({
    name: z.string().regex(/^[\w.-]+$/, "letters, digits, '.', '_' and '-' only (it names the output folder)"),
    description: z.string().optional(),
    data: z
      .string()
      .min(1)
      .optional()
      .describe("CSV path; relative to the definition file; leave it out when the model's loadData supplies the data"),
    model: z
      .string()
      .min(1)
      .optional()
      .describe(
        'your own network: an ES module exporting trunk(input, { tf, inputShape, seed }) and optionally loadData({ tf, dir }); relative to the definition file (README "Bring your model")',
      ),
    tasks: z.string().min(1).describe("task columns: 'last:N', 'first:N' or comma-separated names"),
    features: z.string().min(1).optional().describe('comma-separated feature columns; default every non-task column'),
    taskKind: z.enum(['auto', 'binary', 'regression']).default('auto'),
    seeds: z
      .union([count(1, 1000), z.string().min(1)])
      .default(3)
      .describe('a count N (seeds 0..N-1) or a list such as "0,1,7"'),
    groups: z.string().min(1).optional().describe("extra groups besides singles and pairs, e.g. 'a+b+c;d+e'"),
    engine: engineSchema.default(engineSchema.parse({})),
    split: splitSchema.default(DEFAULT_SPLIT),
    out: z
      .string()
      .min(1)
      .optional()
      .describe(
        'output folder; relative to the definition file and inside the folder tra runs in, unless absolute; default reports/<name>',
      ),
    backend: z.enum(BACKENDS).optional(),
    workers: count(1, 256).optional().describe('worker threads per fused batch; default the number of cores'),
    level: share.default(0.95).describe('confidence level of the intervals'),
    fdr: share.default(0.05).describe('false-discovery rate of the per-cell verdicts'),
    nullTasks: count(0, 1000).default(0),
    subtractNullBias: z.boolean().default(false),
    untilReliability: share.optional(),
    maxMinutes: z.number().gt(0).max(10_000_000).default(60),
    auxiliaryOnly: z
      .union([z.array(z.string().min(1)), z.string()], {
        error: 'expected a list of column names or one comma-separated string',
      })
      .default([])
      .describe(
        'columns known only after prediction time: never inputs nor tasks, only candidate auxiliary targets (tra auxiliary); an array of names or one comma-separated string',
      ),
    smoothers: z
      .record(z.string().min(1), z.string().min(1))
      .default({})
      .describe(
        'per quantised task, the continuous column that is its smoother version (never an input), e.g. {"grade": "score"}',
      ),
  })
  .refine((d) => !d.subtractNullBias || d.nullTasks > 0, {
    message: 'subtractNullBias needs nullTasks > 0',
    path: ['subtractNullBias'],
  })
  .refine((d) => d.data !== undefined || d.model !== undefined, {
    message: 'expected data (a CSV path), or a model whose loadData supplies the data',
    path: ['data'],
  });

/** Fills defaults and checks every field, so that a typo in a definition is an error rather than a silent default. */
export function completeSpec(raw: Record<string, unknown>, origin: string): AnalysisSpec {
  const parsed = definitionSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`${origin}: ${issuesText(parsed.error, 'definition')}`);
  const d = parsed.data;
  const seeds = String(d.seeds);
  parseSeeds(seeds); // a bad list is an error now, not after the data loaded
  const engine: EngineSettings = { ...d.engine };
  if (engine.taskWeights === undefined) delete engine.taskWeights;
  if (engine.patience === 0) delete engine.patience; // no patience: the same configuration (and journal) as before it existed
  return {
    name: d.name,
    description: d.description,
    data: d.data ?? (d.model as string),
    ...(d.model === undefined ? {} : { model: d.model }),
    tasks: d.tasks,
    features: d.features,
    taskKind: d.taskKind,
    seeds,
    groups: d.groups,
    engine,
    split: d.split,
    out: d.out ?? join('reports', d.name),
    backend: d.backend,
    workers: d.workers ?? defaultWorkers(),
    level: d.level,
    fdr: d.fdr,
    nullTasks: d.nullTasks,
    subtractNullBias: d.subtractNullBias,
    untilReliability: d.untilReliability,
    maxMinutes: d.maxMinutes,
    auxiliaryOnly:
      typeof d.auxiliaryOnly === 'string'
        ? d.auxiliaryOnly
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean)
        : d.auxiliaryOnly,
    smoothers: d.smoothers,
  };
}

/** The definition format as JSON Schema (draft 2020-12), for editors and for README's reference. */
export const definitionJsonSchema = (): unknown =>
  z.toJSONSchema(definitionSchema, { io: 'input', unrepresentable: 'any' });

/**
 * Reads an analysis definition file. Its data path and an explicit relative `out` are taken relative to the file;
 * such an `out` must stay inside the folder tra runs in (an absolute `out` is the user's explicit choice).
 */
export function readSpecFile(file: string, root = process.cwd()): AnalysisSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason =
      error instanceof SyntaxError
        ? `not valid JSON (${error.message})`
        : `cannot be read (${(error as NodeJS.ErrnoException).code})`;
    throw new InputError(`analysis definition ${file}: ${reason}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InputError(`analysis definition ${file}: expected a JSON object`);
  const spec = completeSpec(raw as Record<string, unknown>, file);
  const given = (raw as { out?: unknown }).out;
  let out = spec.out;
  if (typeof given === 'string' && !isAbsolute(given)) {
    out = resolve(dirname(file), given);
    const inside = relative(resolve(root), out);
    if (inside.startsWith('..') || isAbsolute(inside))
      throw new InputError(
        `${file}: out '${given}' resolves to ${out}, outside ${resolve(root)} (the folder tra runs in); give an absolute path to write there on purpose`,
      );
  }
  const fromFile = (path: string): string => (isAbsolute(path) ? path : resolve(dirname(file), path));
  return {
    ...spec,
    out,
    data: fromFile(spec.data),
    ...(spec.model === undefined ? {} : { model: fromFile(spec.model) }),
  };
}

/** Commands that train the built-in network's internals (step hooks, probes, auxiliary columns) refuse a user's model. */
export function builtInModelOnly(spec: AnalysisSpec, command: string): void {
  if (spec.model !== undefined)
    throw new InputError(
      `${spec.name}: ${command} works on the built-in MLP only, and this definition names the model ${spec.model}; tra run, tra group and tra affinity take a user's model`,
    );
}

/** The data set a definition's columns select from its CSV. */
export function loadSpecDataset(spec: AnalysisSpec): Dataset {
  const dataset = loadDataset(spec.data, {
    tasks: spec.tasks,
    features: spec.features,
    taskKind: spec.taskKind,
    targetOnly: targetOnlyColumns(spec),
  });
  const stray = Object.keys(spec.smoothers ?? {}).filter((task) => !dataset.taskNames.includes(task));
  if (stray.length)
    throw new InputError(
      `${spec.name}: smoothers names ${stray.map((t) => `'${t}'`).join(', ')}, not among the tasks ${dataset.taskNames.join(', ')}`,
    );
  return dataset;
}

/** Columns a definition marks as targets only: its auxiliary-only columns and its tasks' smoother versions. */
export const targetOnlyColumns = (spec: Pick<AnalysisSpec, 'auxiliaryOnly' | 'smoothers'>): string[] => [
  ...new Set([...(spec.auxiliaryOnly ?? []), ...Object.values(spec.smoothers ?? {})]),
];
