import type { Command } from 'commander';
import { DISTRIBUTION_OPTIONS, EXECUTION_OPTIONS } from '../options/execution.js';
import { readDefinition } from './definition.js';
import { guarded } from './errors.js';
import { addOptions, givenValues } from './options.js';
import { runAnalysisOrShard } from './print.js';

const { maxHours } = EXECUTION_OPTIONS;

/** A run's own options (not definition fields): its limit, its progress output (unless --quiet), its shard or queue. */
export const runOptionsOf = (flags: Record<string, unknown>) => ({
  ...givenValues(flags, DISTRIBUTION_OPTIONS),
  ...givenValues(flags, { maxHours }),
  progress: flags.quiet !== true,
});

export function registerRun(program: Command): void {
  addOptions(
    program
      .command('run')
      .description(
        'run a named analysis definition (analyses/*.json); a rerun resumes from its journal; flags override its fields',
      )
      .argument('<definition>', 'analysis definition JSON, e.g. analyses/emotions-pairwise.json'),
    'run',
  ).action(
    guarded(async (definition: string, flags: Record<string, unknown>) => {
      await runAnalysisOrShard(readDefinition(definition, flags), runOptionsOf(flags));
    }),
  );
}
