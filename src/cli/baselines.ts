import { writeFileSync } from 'node:fs';
import { claimOutputFolder } from '../report/outputFolder.js';
import { refreshReport } from '../report/html/index.js';
import { taskIndexOf } from '../data/columns.js';
import { join } from 'node:path';
import type { Command } from 'commander';
import { baselineData } from '../baselines/data.js';
import { appendColumn, compareBaselines, comparisonCsv, comparisonText, type ComparisonTable, type LossColumn } from '../baselines/compare.js';
import { neuralColumns } from '../baselines/neural.js';
import { FINAL_TOLERANCE, SELECTION_TOLERANCE } from '../baselines/fit.js';
import { InputError } from '../data/errors.js';
import { loadDataset } from '../data/load.js';
import { holdoutSplit } from '../data/split.js';
import { guarded } from './errors.js';
import { numeric } from './flags.js';

interface BaselinesFlags {
  data: string;
  tasks: string;
  clusters?: string;
  seed: string;
  folds: string;
  out: string;
  sweep?: string;
}

export function registerBaselines(program: Command): void {
  program
    .command('baselines')
    .description('linear multi-task baselines (independent, pooled, mean-regularised, clustered) on one holdout split, tuned by k-fold CV')
    .requiredOption('--data <csv>', 'CSV with a header row: numeric features and one column per task')
    .requiredOption('--tasks <spec>', "task columns: 'last:N', 'first:N' or comma-separated names")
    .option('--clusters <groups>', "known task clusters, e.g. '0,1;2,3' (indices or names; unlisted tasks stand alone)")
    .option('--seed <s>', 'seed of the train/test split and of the cross-validation folds', '0')
    .option('--folds <k>', 'cross-validation folds on the training rows', '5')
    .option('--out <dir>', 'output folder for baselines.json and baselines.csv', join('reports', 'baselines'))
    .option('--sweep <dir>', "a finished holdout sweep of the same data (tra sweep --split holdout): adds its single-task and best-pair test losses as columns")
    .action(
      guarded((flags: BaselinesFlags) => {
        const { table, files } = runBaselinesCommand(flags, (column) =>
          process.stderr.write(`${column.name}: ${(column.details.seconds as number).toFixed(1)} s, ${JSON.stringify(column.details.params)}\n`),
        );
        process.stdout.write(`${comparisonText(table)}\n\n${settingsText(table)}\nwrote ${files.json}, ${files.csv}\n`);
      }),
    );
}

/** Loads, splits, runs every baseline and writes the two files; user mistakes are InputErrors. */
export function runBaselinesCommand(flags: BaselinesFlags, onColumn?: (column: LossColumn) => void): { table: ComparisonTable; files: { json: string; csv: string } } {
  const seed = numeric('--seed', flags.seed);
  const folds = numeric('--folds', flags.folds);
  claimOutputFolder(flags.out);
  const ds = loadDataset(flags.data, { tasks: flags.tasks });
  const groups = flags.clusters === undefined ? undefined : parseClusters(flags.clusters, ds.taskNames);
  const split = holdoutSplit(ds.rows, seed);
  const { train, test } = baselineData(ds, split);
  const neural = flags.sweep === undefined ? [] : neuralColumns(flags.sweep, ds, seed);
  const table = neural.reduce(appendColumn, compareBaselines(ds.taskNames, train, test, { folds, seed, groups, onColumn }));
  const files = { json: join(flags.out, 'baselines.json'), csv: join(flags.out, 'baselines.csv') };
  const report = {
    data: { source: ds.source, sha256: ds.sha256, rows: ds.rows, trainRows: train.x.rows, testRows: test.x.rows },
    split: 'holdoutSplit(seed): validation rows join the training rows; hyper-parameters by k-fold CV on them',
    seed,
    folds,
    tolerance: { final: FINAL_TOLERANCE, crossValidation: SELECTION_TOLERANCE, measure: 'Euclidean norm of the gradient of the penalised objective' },
    ...table,
  };
  writeFileSync(files.json, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(files.csv, comparisonCsv(table));
  refreshReport(flags.out);
  return { table, files };
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
        if (index < 0) throw new InputError(`--clusters: '${token.trim()}' is neither a task name nor a task index in 0..${taskNames.length - 1}`);
        return index;
      }),
    );
}

function settingsText(table: ComparisonTable): string {
  // Neural columns come from a sweep journal: they have no fitted settings to show.
  return table.columns
    .filter((c) => c.details.params !== undefined)
    .map((c) => {
      const d = c.details;
      const groups = d.groups ? `, groups ${JSON.stringify(d.groups)}` : '';
      const warning = d.converged === false ? ` WARNING: not converged (gradient norm ${d.gradientNorm})` : '';
      return `${c.name}: ${JSON.stringify(d.params)}, CV loss ${(d.cvLoss as number).toFixed(4)}, ${(d.seconds as number).toFixed(1)} s${groups}${warning}`;
    })
    .join('\n');
}
