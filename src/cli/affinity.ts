import type { Command } from 'commander';
import { affinityFromJournal } from '../analysis/pairwise.js';
import { writeArtefacts } from '../analysis/write.js';
import { INFERENCE_OPTIONS } from '../options/inference.js';
import { matrixText, reliabilityText } from '../report/summary.js';
import { guarded } from './errors.js';
import { addOptions, givenValues } from './options.js';

export function registerAffinity(program: Command): void {
  addOptions(
    program
      .command('affinity')
      .description("recompute the affinity files from an analysis folder's journal, without training")
      .argument('<dir>', 'analysis output folder holding journal.jsonl, e.g. reports/emotions-pairwise'),
    'affinity',
  ).action(
    guarded((dir: string, flags: Record<string, unknown>) => {
      const result = affinityFromJournal(dir, givenValues(flags, INFERENCE_OPTIONS));
      const files = writeArtefacts(result);
      process.stdout.write(
        `${matrixText(result.estimate, result.inference)}\n\n${reliabilityText(result.estimate)}\n\nwrote ${files.join(', ')}\n`,
      );
    }),
  );
}
