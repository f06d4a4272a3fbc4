import type { Command } from 'commander';
import { runBaselines } from '../analysis/baselines.js';
import { writeArtefacts } from '../analysis/write.js';
import { comparisonText, type ComparisonTable, type LossColumn } from '../baselines/compare.js';
import { guarded } from './errors.js';
import { BASELINES_OPTIONS } from '../options/baselines.js';
import { addOptions, givenValues } from './options.js';

export function registerBaselines(program: Command): void {
  addOptions(
    program
      .command('baselines')
      .description(
        'linear multi-task baselines (independent, pooled, mean-regularised, clustered) on one holdout split, tuned by k-fold CV',
      ),
    'baselines',
  ).action(
    guarded((flags: Record<string, unknown>) => {
      const result = runBaselines({
        ...(givenValues(flags, BASELINES_OPTIONS) as { data: string; tasks: string }),
        onColumn: flags.quiet === true ? undefined : progressLine,
      });
      const files = writeArtefacts(result);
      process.stdout.write(
        `${comparisonText(result.table)}\n\n${settingsText(result.table)}\nwrote ${files.join(', ')}\n`,
      );
    }),
  );
}

/** A baseline's fitting time and chosen settings as it finishes, on stderr. */
const progressLine = ({ name, details }: LossColumn): void => {
  process.stderr.write(`${name}: ${(details.seconds as number).toFixed(1)} s, ${JSON.stringify(details.params)}\n`);
};

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
