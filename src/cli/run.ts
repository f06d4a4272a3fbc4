import type { Command } from 'commander';
import { runPairwiseAnalysis } from '../analysis/pairwise.js';
import { readSpecFile } from '../analysis/spec.js';
import { guarded } from './errors.js';
import { printPairwiseResult } from './print.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a named analysis definition (analyses/*.json); a rerun resumes from its journal')
    .argument('<definition>', 'analysis definition JSON, e.g. analyses/emotions-pairwise.json')
    .option('--quiet', 'no progress output')
    .action(
      guarded(async (definition: string, flags: { quiet?: boolean }) => {
        printPairwiseResult(await runPairwiseAnalysis(readSpecFile(definition), { quiet: flags.quiet }));
      }),
    );
}
