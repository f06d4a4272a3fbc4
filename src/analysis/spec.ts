import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Dataset, TaskKind } from '../data/dataset.js';
import { loadDataset } from '../data/load.js';
import { InputError } from '../data/errors.js';
import { DEFAULT_FRACTIONS, type SplitScheme } from '../data/split.js';
import { BACKENDS, type BackendName } from '../engine/backend.js';
import { DEFAULT_ENGINE, type EngineSettings } from '../engine/settings.js';
import { defaultWorkers } from '../engine/parallel.js';

/** A named, runnable pairwise analysis: what `tra run` reads from analyses/*.json and what `tra sweep` builds from flags. */
export interface AnalysisSpec {
  name: string;
  description?: string;
  /** CSV path (relative paths in a definition file are relative to that file). */
  data: string;
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
}

const KEYS = ['name', 'description', 'data', 'tasks', 'features', 'taskKind', 'seeds', 'groups', 'engine', 'split', 'out', 'backend', 'workers', 'level', 'fdr', 'nullTasks', 'subtractNullBias', 'untilReliability', 'maxMinutes'];
const ENGINE_KEYS = Object.keys(DEFAULT_ENGINE).concat('taskWeights');

/** Fills defaults and checks every field, so that a typo in a definition is an error rather than a silent default. */
export function completeSpec(raw: Record<string, unknown>, origin: string): AnalysisSpec {
  const unknown = Object.keys(raw).filter((k) => !KEYS.includes(k));
  if (unknown.length) throw new InputError(`${origin}: unknown field(s) ${unknown.join(', ')}; known: ${KEYS.join(', ')}`);
  const text = (key: string, fallback?: string): string => {
    const value = raw[key] ?? fallback;
    if (typeof value !== 'string' && typeof value !== 'number') throw new InputError(`${origin}: '${key}' is required (a string)`);
    return String(value);
  };
  const engineRaw = (raw.engine ?? {}) as Record<string, unknown>;
  const badEngine = Object.keys(engineRaw).filter((k) => !ENGINE_KEYS.includes(k));
  if (badEngine.length) throw new InputError(`${origin}: unknown engine setting(s) ${badEngine.join(', ')}; known: ${ENGINE_KEYS.join(', ')}`);
  const engine = { ...DEFAULT_ENGINE, ...engineRaw } as EngineSettings;
  checkEngine(engine, origin);
  if (engine.patience === 0) delete engine.patience; // no patience: the same configuration (and journal) as before it existed
  const split = completeSplit((raw.split ?? {}) as Record<string, unknown>, origin);
  const taskKind = text('taskKind', 'auto');
  if (!['auto', 'binary', 'regression'].includes(taskKind)) throw new InputError(`${origin}: taskKind must be auto, binary or regression`);
  const backend = raw.backend === undefined ? undefined : text('backend');
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) throw new InputError(`${origin}: backend must be one of ${BACKENDS.join(', ')}`);
  const fraction = (key: string, fallback?: number): number | undefined => {
    if (raw[key] === undefined) return fallback;
    const value = Number(raw[key]);
    if (!(value > 0 && value < 1)) throw new InputError(`${origin}: ${key} must be between 0 and 1`);
    return value;
  };
  const nullTasks = Number(raw.nullTasks ?? 0);
  if (!(Number.isInteger(nullTasks) && nullTasks >= 0)) throw new InputError(`${origin}: nullTasks must be a non-negative integer`);
  if (raw.subtractNullBias === true && nullTasks === 0) throw new InputError(`${origin}: subtractNullBias needs nullTasks > 0`);
  const maxMinutes = Number(raw.maxMinutes ?? 60);
  if (!(maxMinutes > 0)) throw new InputError(`${origin}: maxMinutes must be positive`);
  const workers = Number(raw.workers ?? defaultWorkers());
  if (!(Number.isInteger(workers) && workers >= 1)) throw new InputError(`${origin}: workers must be a positive integer`);
  const name = text('name');
  if (!/^[\w.-]+$/.test(name)) throw new InputError(`${origin}: name '${name}' may hold only letters, digits, '.', '_' and '-' (it names the output folder)`);
  return {
    name,
    description: raw.description === undefined ? undefined : text('description'),
    data: text('data'),
    tasks: text('tasks'),
    features: raw.features === undefined ? undefined : text('features'),
    taskKind: taskKind as AnalysisSpec['taskKind'],
    seeds: text('seeds', '3'),
    groups: raw.groups === undefined ? undefined : text('groups'),
    engine,
    split,
    out: text('out', join('reports', name)),
    backend: backend as BackendName | undefined,
    workers,
    level: fraction('level', 0.95) as number,
    fdr: fraction('fdr', 0.05) as number,
    nullTasks,
    subtractNullBias: raw.subtractNullBias === true,
    untilReliability: fraction('untilReliability'),
    maxMinutes,
  };
}

/** Cross-fitting over 5 folds unless the definition asks for PROTOCOL.md's holdout split. */
export const DEFAULT_SPLIT: SplitScheme = { kind: 'kfold', folds: 5 };

function completeSplit(raw: Record<string, unknown>, origin: string): SplitScheme {
  const kind = raw.kind ?? DEFAULT_SPLIT.kind;
  if (kind === 'kfold') {
    const folds = Number(raw.folds ?? (DEFAULT_SPLIT.kind === 'kfold' ? DEFAULT_SPLIT.folds : 5));
    if (!(Number.isInteger(folds) && folds >= 3)) throw new InputError(`${origin}: split.folds must be an integer of at least 3`);
    return { kind, folds };
  }
  if (kind !== 'holdout') throw new InputError(`${origin}: split.kind must be 'kfold' or 'holdout'`);
  const validation = Number(raw.validation ?? DEFAULT_FRACTIONS.validation);
  const test = Number(raw.test ?? DEFAULT_FRACTIONS.test);
  if (!(validation > 0 && test > 0 && validation + test < 1))
    throw new InputError(`${origin}: split fractions must be positive and leave rows for training (got validation ${validation}, test ${test})`);
  return { kind, validation, test };
}

function checkEngine(engine: EngineSettings, origin: string): void {
  const positiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
  if (!Array.isArray(engine.hidden) || engine.hidden.length === 0 || !engine.hidden.every(positiveInt))
    throw new InputError(`${origin}: hidden must list one or more positive layer widths, e.g. [64, 64]`);
  if (!positiveInt(engine.epochs)) throw new InputError(`${origin}: epochs must be a positive integer`);
  if (engine.patience !== undefined && !(Number.isInteger(engine.patience) && engine.patience >= 0))
    throw new InputError(`${origin}: patience must be a whole number of epochs (0: train every network all its epochs)`);
  if (!positiveInt(engine.batchSize)) throw new InputError(`${origin}: batchSize must be a positive integer`);
  if (!(typeof engine.learningRate === 'number' && engine.learningRate > 0)) throw new InputError(`${origin}: learningRate must be a positive number`);
}

/** Reads an analysis definition file; its data path is taken relative to the file. */
export function readSpecFile(file: string): AnalysisSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not valid JSON (${error.message})` : `cannot be read (${(error as NodeJS.ErrnoException).code})`;
    throw new InputError(`analysis definition ${file}: ${reason}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`analysis definition ${file}: expected a JSON object`);
  const spec = completeSpec(raw as Record<string, unknown>, file);
  return { ...spec, data: isAbsolute(spec.data) ? spec.data : resolve(dirname(file), spec.data) };
}

/** The data set a definition's columns select from its CSV. */
export const loadSpecDataset = (spec: AnalysisSpec): Dataset => loadDataset(spec.data, { tasks: spec.tasks, features: spec.features, taskKind: spec.taskKind });
