import type { Command } from 'commander';
import { runProxies } from '../analysis/proxies.js';
import { readSpecFile } from '../analysis/spec.js';
import { guarded } from './errors.js';
import { numeric } from './flags.js';
import { InputError } from '../data/errors.js';
import { DEFAULT_LOOKAHEAD_STEP, LOOKAHEAD_STEPS, type LookaheadStep } from '../affinity/proxies/lookahead.js';

export function registerProxies(program: Command): void {
  program
    .command('proxies')
    .description('cheap estimates of the affinity matrix from one all-task run (TAG lookahead, gradient cosine) and from the labels, compared with a full sweep')
    .argument('<definition>', 'analysis definition JSON (data, tasks, engine settings), e.g. analyses/emotions-pairwise.json')
    .option('--truth <dir>', 'folder of a finished pairwise sweep of the same tasks to compare with (default: the definition\'s output folder, if it has one)')
    .option('--every <steps>', 'probe the all-task network every this many steps', '10')
    .option('--lookahead-step <kind>', `the lookahead's step: 'adam' (the training optimizer's own step) or 'sgd' (plain SGD at the learning rate, as TAG's code)`, DEFAULT_LOOKAHEAD_STEP)
    .action(
      guarded(async (definition: string, flags: { truth?: string; every: string; lookaheadStep: string }) => {
        const step = flags.lookaheadStep as LookaheadStep;
        if (!LOOKAHEAD_STEPS.includes(step)) throw new InputError(`--lookahead-step must be one of ${LOOKAHEAD_STEPS.join(', ')} (got '${flags.lookaheadStep}')`);
        const spec = readSpecFile(definition);
        const outcome = await runProxies(spec, flags.truth ?? spec.out, numeric('--every', flags.every), step);
        const lines = [`proxies of ${outcome.taskNames.length} tasks on backend '${outcome.backend}' (${outcome.probes} lookahead probes kept)`, `  ${outcome.lookaheadMethod}`];
        const truth = outcome.truth;
        for (const p of outcome.proxies) {
          const cost = truth ? `${((p.seconds / truth.sweepSeconds) * 100).toFixed(2)}% of the sweep's time` : `${p.seconds.toFixed(2)} s`;
          const agree = p.agreement ? `Spearman ${p.agreement.spearman.toFixed(2)}, Kendall ${p.agreement.kendall.toFixed(2)}` : 'no sweep to compare with';
          lines.push(`  ${p.proxy.padEnd(26)} ${agree.padEnd(32)} ${p.seconds.toFixed(2).padStart(8)} s  (${cost})`);
        }
        if (truth)
          lines.push(`for scale: two halves of the sweep's own replications agree at Spearman ${truth.halfCorrelation.toFixed(2)} (reliability ${truth.reliability.toFixed(2)}); a proxy cannot be expected to agree better`);
        const grouping = truth?.grouping;
        if (grouping) {
          lines.push(`groupings (average linkage at budgets ${grouping.budgets.join(', ')}) against exact selection on the sweep's losses: mean ARI, mean regret in total test loss`);
          const row = (name: string, g: { meanAri: number; meanRegret: number } | undefined): string =>
            `  ${name.padEnd(26)} ${g ? `ARI ${g.meanAri.toFixed(2)}, regret ${g.meanRegret >= 0 ? '+' : ''}${g.meanRegret.toFixed(4)}` : 'n/a (undefined cells)'}`;
          for (const p of outcome.proxies) lines.push(row(p.proxy, p.grouping));
          lines.push(row('the sweep\'s own matrix', grouping.sweepMatrix));
          lines.push(`  for scale: groupings of two halves of the sweep's seeds agree at ARI ${grouping.halfVsHalfAri.toFixed(2)}`);
        }
        lines.push(`wrote ${outcome.file}`);
        process.stdout.write(lines.join('\n') + '\n');
      }),
    );
}
