import type { TaskKind } from '../data/dataset.js';
import { InputError } from '../data/errors.js';
import { clusteredKnown, completePartition, type ClusteredParams } from './clustered.js';
import { convexClustered, type ConvexClusteredParams } from './convexClustered.js';
import { crossValidate, type Family } from './crossValidate.js';
import type { TaskData } from './data.js';
import { FINAL_TOLERANCE, type Fitted } from './fit.js';
import { groupsFromSimilarity } from './grouping.js';
import { independent, pooled, type RidgeParams } from './independent.js';
import { lossName, taskLosses } from './losses.js';
import { meanRegularised, type MeanRegularisedParams } from './meanRegularised.js';
import { makeProblem } from './problem.js';

/** One method's held-out loss per task; `total` is their sum (raw losses, as in Standley et al.). */
export interface LossColumn {
  name: string;
  perTask: number[];
  total: number;
  /** JSON-ready facts about how the column was obtained (chosen hyper-parameters, timing, solver residual, ...). */
  details: Record<string, unknown>;
}

/** Test loss per task for a list of named methods; more columns can be appended (e.g. neural ones). */
export interface ComparisonTable {
  taskNames: string[];
  taskKinds: TaskKind[];
  /** Per task: 'mse' or 'bce'. */
  metrics: string[];
  columns: LossColumn[];
}

export const emptyTable = (taskNames: string[], taskKinds: TaskKind[]): ComparisonTable => ({
  taskNames,
  taskKinds,
  metrics: taskKinds.map(lossName),
  columns: [],
});

export function appendColumn(
  table: ComparisonTable,
  column: { name: string; perTask: number[]; details?: Record<string, unknown> },
): ComparisonTable {
  if (column.perTask.length !== table.taskNames.length)
    throw new RangeError(
      `column '${column.name}' has ${column.perTask.length} losses for ${table.taskNames.length} tasks`,
    );
  if (table.columns.some((c) => c.name === column.name))
    throw new RangeError(`the table already has a column '${column.name}'`);
  const total = column.perTask.reduce((a, b) => a + b, 0);
  return {
    ...table,
    columns: [...table.columns, { name: column.name, perTask: column.perTask, total, details: column.details ?? {} }],
  };
}

export interface BaselineRun<P, M extends Fitted> {
  params: P;
  cvLoss: number;
  model: M;
  testLosses: number[];
  seconds: number;
}

/** Selects hyper-parameters by k-fold cross-validation on the training rows, refits on all of them, tests once. */
export function runBaseline<P, M extends Fitted>(
  family: Family<P, M>,
  train: TaskData,
  test: TaskData,
  folds: number,
  seed: number,
): BaselineRun<P, M> {
  const started = performance.now();
  const cv = crossValidate(family, train, folds, seed);
  const model = family.fit(makeProblem(train), cv.best, { tolerance: FINAL_TOLERANCE });
  return {
    params: cv.best,
    cvLoss: cv.bestLoss,
    model,
    testLosses: taskLosses(model, test),
    seconds: (performance.now() - started) / 1000,
  };
}

const runDetails = <P, M extends Fitted>(run: BaselineRun<P, M>, gridSize: number): Record<string, unknown> => ({
  params: run.params,
  gridSize,
  cvLoss: run.cvLoss,
  seconds: run.seconds,
  tolerance: FINAL_TOLERANCE,
  gradientNorm: run.model.gradientNorm,
  iterations: run.model.iterations,
  converged: run.model.converged,
});

export interface BaselineGrids {
  independent?: RidgeParams[];
  pooled?: RidgeParams[];
  meanRegularised?: MeanRegularisedParams[];
  clustered?: ClusteredParams[];
  convex?: ConvexClusteredParams[];
}

export interface CompareOptions {
  folds: number;
  seed: number;
  /** Known clusters as groups of task indices; without them the clustered-known column is left out. */
  groups?: number[][];
  grids?: BaselineGrids;
  /** Called as each column is finished (the comparison can take minutes on a large table). */
  onColumn?: (column: LossColumn) => void;
}

/** Every linear baseline on one train/test pair, as a comparison table. */
export function compareBaselines(
  taskNames: string[],
  train: TaskData,
  test: TaskData,
  options: CompareOptions,
): ComparisonTable {
  const T = taskNames.length;
  if (T < 2) throw new InputError(`multi-task baselines need at least 2 tasks (got ${T})`);
  const { folds, seed, grids = {} } = options;
  const groups = options.groups && completePartition(options.groups, T);
  let table = emptyTable(taskNames, train.kinds);
  const addRun = <P, M extends Fitted>(
    family: Family<P, M>,
    extra: (run: BaselineRun<P, M>) => Record<string, unknown> = () => ({}),
  ): void => {
    const run = runBaseline(family, train, test, folds, seed);
    table = appendColumn(table, {
      name: family.name,
      perTask: run.testLosses,
      details: { ...runDetails(run, family.grid.length), ...extra(run) },
    });
    options.onColumn?.(table.columns[table.columns.length - 1]);
  };
  addRun(independent(grids.independent));
  addRun(pooled(grids.pooled));
  addRun(meanRegularised(grids.meanRegularised));
  if (groups) addRun(clusteredKnown(groups, grids.clustered), () => ({ groups }));
  addRun(convexClustered(T, grids.convex), (run) => ({
    similarity: run.model.similarity.to2DArray(),
    groups: groupsFromSimilarity(run.model.similarity, run.params.clusters),
  }));
  return table;
}

/** The table for a terminal: losses to 4 decimals, the lowest in each row marked with '*'. */
export function comparisonText(table: ComparisonTable): string {
  const label = (t: number): string =>
    t < table.taskNames.length ? `${table.taskNames[t]} (${table.metrics[t]})` : 'total';
  const values = (t: number): number[] =>
    table.columns.map((c) => (t < table.taskNames.length ? c.perTask[t] : c.total));
  const lines = Array.from({ length: table.taskNames.length + 1 }, (_, t) => {
    const v = values(t);
    const best = Math.min(...v);
    return [label(t), ...v.map((x) => `${x.toFixed(4)}${x === best ? '*' : ' '}`)];
  });
  const header = ['task', ...table.columns.map((c) => c.name)];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}
