import type { z } from 'zod';
import { baselinesSchema } from '../options/baselines.js';
import { parseOptions } from '../options/option.js';
import type { BaselinesArtefact } from '../artefacts/baselines.js';
import { appendColumn, compareBaselines, type ComparisonTable, type LossColumn } from '../baselines/compare.js';
import { baselineData } from '../baselines/data.js';
import { FINAL_TOLERANCE, SELECTION_TOLERANCE } from '../baselines/fit.js';
import { neuralColumns } from '../baselines/neural.js';
import { taskIndexOf } from '../data/columns.js';
import { InputError } from '../data/errors.js';
import { loadDataset } from '../data/load.js';
import { holdoutSplit } from '../data/split.js';
import type { Decided } from './write.js';
import { claimOutputFolder } from '../sweep/outputFolder.js';

/** `tra baselines`' options (declared in src/options/baselines.ts); absent ones take their declared defaults. */
export type BaselinesOptions = z.input<typeof baselinesSchema> & {
  /** Called as each baseline finishes (progress). */
  onColumn?: (column: LossColumn) => void;
};

export interface BaselinesOutcome extends Decided {
  table: ComparisonTable;
}

/**
 * `tra baselines`: the linear multi-task baselines (independent, pooled, mean-regularised, clustered) on one holdout
 * split, hyper-parameters by k-fold cross-validation on the training rows, scored on the test rows; writes
 * baselines.json and baselines.csv. User mistakes are InputErrors.
 */
export function runBaselines({ onColumn, ...given }: BaselinesOptions): BaselinesOutcome {
  const options = parseOptions(baselinesSchema, given, 'baselines options');
  const { splitSeed: seed, cvFolds: folds, out } = options;
  claimOutputFolder(out);
  const tasks = Array.isArray(options.tasks) ? options.tasks.join(',') : options.tasks;
  const ds = loadDataset(options.data, { tasks });
  const groups = options.clusters === undefined ? undefined : parseClusters(options.clusters, ds.taskNames);
  const { train, test } = baselineData(ds, holdoutSplit(ds.rows, seed));
  const neural = options.sweep === undefined ? [] : neuralColumns(options.sweep, ds, seed);
  const table = neural.reduce(
    appendColumn,
    compareBaselines(ds.taskNames, train, test, { folds, seed, groups, onColumn }),
  );
  const artefact: BaselinesArtefact = {
    data: { source: ds.source, sha256: ds.sha256, rows: ds.rows, trainRows: train.x.rows, testRows: test.x.rows },
    split: 'holdoutSplit(seed): validation rows join the training rows; hyper-parameters by k-fold CV on them',
    seed,
    folds,
    tolerance: {
      final: FINAL_TOLERANCE,
      crossValidation: SELECTION_TOLERANCE,
      measure: 'Euclidean norm of the gradient of the penalised objective',
    },
    ...table,
  };
  return { table, out, artefacts: { baselines: artefact } };
}

/** '0,1;2,3' or 'a,b;c,d' → groups of task indices. */
export function parseClusters(text: string, taskNames: string[]): number[][] {
  return text
    .split(';')
    .map((group) => group.trim())
    .filter((group) => group !== '')
    .map((group) =>
      group.split(',').map((token) => {
        const index = taskIndexOf(token, taskNames);
        if (index < 0)
          throw new InputError(
            `--clusters: '${token.trim()}' is neither a task name nor a task index in 0..${taskNames.length - 1}`,
          );
        return index;
      }),
    );
}
