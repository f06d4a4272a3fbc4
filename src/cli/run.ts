import type { Command } from 'commander';
import { readSpecFile } from '../analysis/spec.js';
import { guarded } from './errors.js';
import { DEFAULT_MAX_NETWORKS } from '../sweep/planner.js';
import { numeric } from './flags.js';
import { runAnalysisOrShard } from './print.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a named analysis definition (analyses/*.json); a rerun resumes from its journal')
    .argument('<definition>', 'analysis definition JSON, e.g. analyses/emotions-pairwise.json')
    .option('--workers <n>', "worker threads per fused batch (default: the definition's, else the number of cores)")
    .option('--shard <i/N>', "train only shard i of N into its own folder; combine with 'tra merge'")
    .option('--queue <url>', "distribute the sweep over 'tra worker' processes through Redis (BullMQ)")
    .option(
      '--max-networks <n>',
      `refuse a sweep of more networks than this (the planner prints their number, estimated time and cheaper routes)`,
      String(DEFAULT_MAX_NETWORKS),
    )
    .option('--quiet', 'no progress output')
    .action(
      guarded(
        async (
          definition: string,
          flags: { quiet?: boolean; workers?: string; shard?: string; queue?: string; maxNetworks: string },
        ) => {
          const maxNetworks = numeric('--max-networks', flags.maxNetworks);
          const spec = readSpecFile(definition);
          const workers = flags.workers === undefined ? spec.workers : numeric('--workers', flags.workers);
          await runAnalysisOrShard({ ...spec, workers }, flags.shard, flags.quiet, flags.queue, maxNetworks);
        },
      ),
    );
}
