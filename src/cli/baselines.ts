import { join } from 'node:path';
import type { Command } from 'commander';
import { runBaselines } from '../analysis/baselines.js';
import { comparisonText, type ComparisonTable } from '../baselines/compare.js';
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
    .description(
      'linear multi-task baselines (independent, pooled, mean-regularised, clustered) on one holdout split, tuned by k-fold CV',
    )
    .requiredOption('--data <csv>', 'CSV with a header row: numeric features and one column per task')
    .requiredOption('--tasks <spec>', "task columns: 'last:N', 'first:N' or comma-separated names")
    .option('--clusters <groups>', "known task clusters, e.g. '0,1;2,3' (indices or names; unlisted tasks stand alone)")
    .option('--seed <s>', 'seed of the train/test split and of the cross-validation folds', '0')
    .option('--folds <k>', 'cross-validation folds on the training rows', '5')
    .option('--out <dir>', 'output folder for baselines.json and baselines.csv', join('reports', 'baselines'))
    .option(
      '--sweep <dir>',
      'a finished holdout sweep of the same data (tra sweep --split holdout): adds its single-task and best-pair test losses as columns',
    )
    .action(
      guarded((flags: BaselinesFlags) => {
        const { table, files } = runBaselines({
          ...flags,
          seed: numeric('--seed', flags.seed),
          folds: numeric('--folds', flags.folds),
          onColumn: (column) =>
            process.stderr.write(
              `${column.name}: ${(column.details.seconds as number).toFixed(1)} s, ${JSON.stringify(column.details.params)}\n`,
            ),
        });
        process.stdout.write(`${comparisonText(table)}\n\n${settingsText(table)}\nwrote ${files.json}, ${files.csv}\n`);
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
