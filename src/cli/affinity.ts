import type { Command } from 'commander';
import { affinityFromJournal } from '../analysis/pairwise.js';
import { matrixText, reliabilityText } from '../report/summary.js';
import { guarded } from './errors.js';
import { numeric } from './flags.js';

export function registerAffinity(program: Command): void {
  program
    .command('affinity')
    .description("recompute the affinity files from an analysis folder's journal, without training")
    .argument('<dir>', 'analysis output folder holding journal.jsonl, e.g. reports/emotions-pairwise')
    .option('--level <p>', 'confidence level of the intervals', '0.95')
    .option('--fdr <q>', 'false-discovery rate of the per-cell verdicts', '0.05')
    .option(
      '--subtract-null-bias',
      "judge every cell against the same replication's mean null-partner difference (needs a sweep with --null-tasks)",
    )
    .action(
      guarded((dir: string, flags: { level: string; fdr: string; subtractNullBias?: boolean }) => {
        const { estimate, inference, files } = affinityFromJournal(
          dir,
          numeric('--level', flags.level),
          numeric('--fdr', flags.fdr),
          flags.subtractNullBias === true,
        );
        process.stdout.write(
          `${matrixText(estimate, inference)}\n\n${reliabilityText(estimate)}\n\nwrote ${files.json}, ${files.csv}, ${files.graph}\n`,
        );
      }),
    );
}
