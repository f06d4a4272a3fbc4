import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { z } from '../vendor/zod.js';
import type { Dataset } from '../data/dataset.js';
import { loadDataset } from '../data/load.js';
import { InputError } from '../data/errors.js';
import { issuesText } from '../data/schemaIssues.js';
import type { SplitScheme } from '../data/split.js';
import type { EngineSettings } from '../engine/settings.js';
import { defaultWorkers } from '../engine/parallel.js';
import { DATA_OPTIONS } from '../options/data.js';
import { engineSchema } from '../options/engine.js';
import { EXECUTION_OPTIONS } from '../options/execution.js';
import { INFERENCE_OPTIONS } from '../options/inference.js';
import { schemaShape as fieldsOf } from '../options/option.js';
import { OUTPUT_OPTIONS } from '../options/output.js';
import { SPLIT_OPTIONS } from '../options/split.js';
import { SWEEP_OPTIONS } from '../options/sweep.js';
import { LAUNCH_OPTIONS, TRAINING_COMMAND_OPTIONS } from '../options/command.js';
import { parseDevices, runOptions, type CommandRunOptions } from '../engine/command/pool.js';
import { checkCommandArgv } from '../engine/command/placeholders.js';

const { seeds, kind, folds, validation, test } = SPLIT_OPTIONS;
const kfoldSchema = z.strictObject({ kind: z.literal('kfold'), folds: folds.schema });
const holdoutSchema = z
  .strictObject({ kind: z.literal('holdout'), validation: validation.schema, test: test.schema })
  .refine((s) => s.validation + s.test < 1, {
    message: 'validation + test must leave rows for training (their sum below 1)',
  });
// A split without `kind` is the default one; a string such as "holdout" is an error, not a silent default.
const splitSchema = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value)
      ? { ...value, kind: kind.default }
      : value,
  z.discriminatedUnion('kind', [kfoldSchema, holdoutSchema], {
    error: (issue) =>
      issue.code === 'invalid_union' ? `must be ${kind.kind.text}` : 'must be an object such as {"kind": "holdout"}',
  }),
);

/** Cross-fitting over the default number of folds unless the definition asks for PROTOCOL.md's holdout split. */
export const DEFAULT_SPLIT: SplitScheme = splitSchema.parse({});

/**
 * The analysis definition format (`tra run <definition>`; `tra sweep` builds the same object from its flags), built
 * from the option groups (src/options): every field, at every depth, is typed; unknown fields are errors. `tra schema`
 * prints it as JSON Schema.
 */
export const definitionSchema = z
  .strictObject({
    name: OUTPUT_OPTIONS.name.schema.unwrap().describe('it names the default output folder reports/<name>'),
    description: OUTPUT_OPTIONS.description.schema,
    ...fieldsOf(DATA_OPTIONS),
    ...fieldsOf(TRAINING_COMMAND_OPTIONS),
    seeds: seeds.schema,
    ...fieldsOf(SWEEP_OPTIONS),
    engine: engineSchema.default(engineSchema.parse({})),
    split: splitSchema.default(DEFAULT_SPLIT),
    out: OUTPUT_OPTIONS.out.schema,
    backend: EXECUTION_OPTIONS.backend.schema,
    workers: EXECUTION_OPTIONS.workers.schema,
    watchdog: EXECUTION_OPTIONS.watchdog.schema,
    ...fieldsOf(LAUNCH_OPTIONS),
    ...fieldsOf(INFERENCE_OPTIONS),
  })
  .refine((d) => !d.subtractNullBias || d.nullTasks > 0, {
    message: 'subtractNullBias needs nullTasks > 0',
    path: ['subtractNullBias'],
  })
  .refine((d) => d.data !== undefined || d.model !== undefined || d.command !== undefined, {
    message: 'expected data (a CSV path), a model whose loadData supplies the data, or a command',
    path: ['data'],
  });

/** A definition's `"command"`: what is run for each network, where, on which code, and how the launches go. */
export interface CommandSpec {
  argv: string[];
  /** Files whose content the configuration hash covers (absolute, or relative to `cwd`). */
  code: string[];
  /** The folder the command runs in (absolute once read from a file). */
  cwd: string;
  taskNames: string[];
  run: CommandRunOptions;
}

/** Fields of the built-in network and its data: a command trains its own network on its own data. */
const NOT_WITH_COMMAND = [
  'data',
  'model',
  'features',
  'backend',
  'workers',
  'nullTasks',
  'subtractNullBias',
  'auxiliaryOnly',
  'smoothers',
] as const;

/** A command definition's own checks (fields that do not apply, its placeholders, its task names) and its spec. */
function commandSpec(raw: Record<string, unknown>, d: z.output<typeof definitionSchema>, origin: string): CommandSpec {
  const defaults = definitionSchema.parse({ name: 'x', data: 'x', tasks: 'x' }) as Record<string, unknown>;
  const stray = NOT_WITH_COMMAND.filter(
    (field) => raw[field] !== undefined && JSON.stringify(raw[field]) !== JSON.stringify(defaults[field]),
  );
  const engine = isRecord(raw.engine) ? raw.engine : {};
  const engineStray = Object.keys(engine).filter((key) => key !== 'epochs');
  if (stray.length || engineStray.length || (raw.taskKind !== undefined && raw.taskKind !== 'auto'))
    throw new InputError(
      `${origin}: ${[...stray, ...(raw.taskKind !== undefined && raw.taskKind !== 'auto' ? ['taskKind'] : []), ...engineStray.map((key) => `engine.${key}`)].join(', ')}: not with a command, which trains its own network on its own data (of engine, only epochs applies: {epochs})`,
    );
  const argv = d.command as string[];
  checkCommandArgv(argv, `${origin}: command`);
  const taskNames = (Array.isArray(d.tasks) ? d.tasks : d.tasks.split(',')).map((t) => t.trim());
  if (taskNames.some((t) => t === '')) throw new InputError(`${origin}: tasks: an empty task name`);
  const twice = taskNames.find((t, k) => taskNames.indexOf(t) !== k);
  if (twice !== undefined) throw new InputError(`${origin}: tasks: '${twice}' is named twice`);
  if (taskNames.length < 2) throw new InputError(`${origin}: tasks: a pairwise analysis needs at least two tasks`);
  return {
    argv,
    code: d.code,
    cwd: d.cwd ?? process.cwd(),
    taskNames,
    run: runOptions({
      parallel: d.parallel,
      devices: d.devices === undefined ? undefined : parseDevices(String(d.devices), `${origin}: devices`),
      timeoutSeconds: d.timeout,
      retries: d.retries,
    }),
  };
}

/** The fields that apply only to a command. */
const COMMAND_ONLY = ['code', 'cwd', 'parallel', 'devices', 'timeout'] as const;

/** A definition's fields with every default filled: what the runners read. */
function complete(d: z.output<typeof definitionSchema>, command?: CommandSpec) {
  const { code: _code, cwd: _cwd, parallel: _parallel, devices: _devices, timeout: _timeout, ...fields } = d;
  const engine: EngineSettings = { ...d.engine };
  if (engine.taskWeights === undefined) delete engine.taskWeights;
  if (engine.patience === 0) delete engine.patience; // no patience: the same configuration (and journal) as before it existed
  if (command) delete engine.patience; // a command trains (and stops) as it likes: only its epochs are tra's
  return {
    ...fields,
    /** CSV path; equal to `model` when the model's loadData supplies the data; empty with a command. */
    data: d.data ?? d.model ?? '',
    tasks: Array.isArray(d.tasks) ? d.tasks.join(',') : d.tasks,
    /** A count N (seeds 0..N-1) or a comma-separated list. */
    seeds: String(d.seeds),
    engine,
    split: d.split as SplitScheme,
    out: d.out ?? join('reports', d.name),
    workers: d.workers ?? defaultWorkers(),
    auxiliaryOnly:
      typeof d.auxiliaryOnly === 'string'
        ? d.auxiliaryOnly
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean)
        : d.auxiliaryOnly,
    /** The user's training command as the network (docs/COMMAND.md); then there is no `data` or `model`. */
    command,
  };
}

/** A named, runnable pairwise analysis: a definition with its defaults filled (what `tra run` reads, `tra sweep` builds). */
export type AnalysisSpec = ReturnType<typeof complete>;

/** Fills defaults and checks every field, so that a typo in a definition is an error rather than a silent default. */
export function completeSpec(raw: Record<string, unknown>, origin: string): AnalysisSpec {
  const parsed = definitionSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`${origin}: ${issuesText(parsed.error, 'definition')}`);
  const d = parsed.data;
  if (!d.command) {
    const stray = COMMAND_ONLY.filter((field) => raw[field] !== undefined);
    if (stray.length) throw new InputError(`${origin}: ${stray.join(', ')}: only with a command`);
    if (Array.isArray(d.tasks) && d.tasks.some((t) => t.includes(',')))
      throw new InputError(`${origin}: tasks: a column name holding ',' cannot be selected`);
  }
  return complete(d, d.command ? commandSpec(raw, d, origin) : undefined);
}

/** Values a command line gives for a definition's fields: they override the file's (`tra group def.json --epochs 5`). */
export interface DefinitionOverrides {
  /** Top-level fields (seeds, level, backend, ...). */
  fields?: Record<string, unknown>;
  engine?: Record<string, unknown>;
  /** The split's kind and its parameters; a parameter of the other kind than the definition's switches kind. */
  split?: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `--folds` implies a k-fold split, `--validation-share` and `--test-share` a holdout one; mixing them is an error. */
function overrideSplit(current: unknown, given: Record<string, unknown>): unknown {
  if (Object.keys(given).length === 0) return current;
  const holdoutShares = given.validation !== undefined || given.test !== undefined;
  const implied = given.folds !== undefined ? 'kfold' : holdoutShares ? 'holdout' : undefined;
  const file = isRecord(current) ? current : {};
  const kind = given.kind ?? implied ?? file.kind ?? SPLIT_OPTIONS.kind.default;
  if (kind === 'kfold' && holdoutShares)
    throw new InputError(
      '--validation-share and --test-share belong to --split holdout (a k-fold split takes --folds)',
    );
  if (kind === 'holdout' && given.folds !== undefined)
    throw new InputError(
      '--folds belongs to --split kfold (a holdout split takes --validation-share and --test-share)',
    );
  const sameKind = (file.kind ?? SPLIT_OPTIONS.kind.default) === kind;
  return { ...(sameKind ? file : {}), ...given, kind };
}

/** A raw definition with the command line's values over the file's. */
export function withOverrides(raw: Record<string, unknown>, overrides: DefinitionOverrides): Record<string, unknown> {
  const { fields = {}, engine = {}, split = {} } = overrides;
  const merged: Record<string, unknown> = { ...raw, ...fields };
  if (Object.keys(engine).length) merged.engine = { ...(isRecord(raw.engine) ? raw.engine : {}), ...engine };
  if (Object.keys(split).length) merged.split = overrideSplit(raw.split, split);
  return merged;
}

/** The definition format as JSON Schema (draft 2020-12), for editors. */
export const definitionJsonSchema = (): unknown =>
  z.toJSONSchema(definitionSchema, { io: 'input', unrepresentable: 'any' });

/**
 * Reads an analysis definition file. Its data path and an explicit relative `out` are taken relative to the file;
 * such an `out` must stay inside the folder tra runs in (an absolute `out` is the user's explicit choice).
 */
export function readSpecFile(file: string, root = process.cwd(), overrides: DefinitionOverrides = {}): AnalysisSpec {
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
  // An --out on the command line is the user's, relative to where tra runs (as tra sweep --out), not to the file.
  const { out: outFlag, ...fields } = overrides.fields ?? {};
  const spec = completeSpec(withOverrides(raw as Record<string, unknown>, { ...overrides, fields }), file);
  const given = (raw as { out?: unknown }).out;
  let out = typeof outFlag === 'string' ? outFlag : spec.out;
  if (outFlag === undefined && typeof given === 'string' && !isAbsolute(given)) {
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
    data: spec.command ? spec.data : fromFile(spec.data),
    ...(spec.model === undefined ? {} : { model: fromFile(spec.model) }),
    ...(spec.command ? { command: commandFromFile(spec.command, raw as Record<string, unknown>, fromFile) } : {}),
  };
}

/** A command read from a file runs in the file's folder (or its `cwd`, relative to it); its code files likewise. */
export const commandFromFile = (
  command: CommandSpec,
  raw: Record<string, unknown>,
  fromFile: (path: string) => string,
): CommandSpec => ({
  ...command,
  cwd: fromFile(typeof raw.cwd === 'string' ? raw.cwd : '.'),
  code: command.code.map(fromFile),
});

/** Commands that train the built-in network's internals (step hooks, probes, auxiliary columns) refuse a user's model. */
export function builtInModelOnly(spec: AnalysisSpec, command: string): void {
  if (spec.command !== undefined)
    throw new InputError(
      `${spec.name}: ${command} trains the built-in network's internals, and this definition names a training command; tra run, tra group and tra taxonomy (with per-example losses) take a command`,
    );
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

/**
 * Whether the definition's sweep is allocated round by round (analysis/allocate.ts): every value of the `allocation` option (src/options/sweep.ts) but
 * `full`, the sweep's own loop (as is `seeds`, which the option does not offer).
 */
export const isAllocated = (
  spec: Pick<AnalysisSpec, 'allocation'>,
): spec is AnalysisSpec & { allocation: Exclude<NonNullable<AnalysisSpec['allocation']>, 'full'> } =>
  spec.allocation !== undefined && spec.allocation !== 'full';
