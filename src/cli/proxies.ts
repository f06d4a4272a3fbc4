import type { Command } from 'commander';
import { runProxies } from '../analysis/proxies.js';
import { readSpecFile } from '../analysis/spec.js';
import { PROXIES } from '../affinity/proxies/registry.js';
import { guarded } from './errors.js';
import { numeric } from './flags.js';
import { InputError } from '../data/errors.js';
import { DEFAULT_LOOKAHEAD_STEP, LOOKAHEAD_STEPS, type LookaheadStep } from '../affinity/proxies/lookahead.js';

export function registerProxies(program: Command): void {
  program
    .command('proxies')
    .description(
      'cheap estimates of the affinity matrix (linearised gradients, sampled-subset surrogate, TAG lookahead, gradient cosine, label statistics) and the grouping each implies; compared with a full sweep when one is at hand',
    )
    .argument(
      '<definition>',
      'analysis definition JSON (data, tasks, engine settings), e.g. analyses/emotions-pairwise.json',
    )
    .option(
      '--truth <dir>',
      "folder of a finished pairwise sweep of the same tasks to compare with (default: the definition's output folder, when it holds one; without one the proxies run standalone)",
    )
    .option('--proxies <ids>', `comma-separated proxies to run: ${PROXIES.map((p) => p.id).join(', ')}; or all`, 'all')
    .option('--every <steps>', 'probe the all-task network every this many steps (lookahead, cosine)', '10')
    .option(
      '--lookahead-step <kind>',
      `the lookahead's step: 'adam' (the training optimizer's own step) or 'sgd' (plain SGD at the learning rate, as TAG's code)`,
      DEFAULT_LOOKAHEAD_STEP,
    )
    .action(
      guarded(
        async (
          definition: string,
          flags: { truth?: string; every: string; proxies: string; lookaheadStep: string },
        ) => {
          const step = flags.lookaheadStep as LookaheadStep;
          if (!LOOKAHEAD_STEPS.includes(step))
            throw new InputError(
              `--lookahead-step must be one of ${LOOKAHEAD_STEPS.join(', ')} (got '${flags.lookaheadStep}')`,
            );
          const spec = readSpecFile(definition);
          const truthOption = { dir: flags.truth ?? spec.out, required: flags.truth !== undefined };
          const outcome = await runProxies(spec, {
            truth: truthOption,
            every: numeric('--every', flags.every),
            lookaheadStep: step,
            proxies: flags.proxies,
          });
          const lines = [
            `proxies of ${outcome.taskNames.length} tasks on backend '${outcome.backend}'${outcome.truth ? '' : ' (no sweep to compare with: standalone)'}`,
          ];
          const lookahead = outcome.proxies.find((p) => p.id === 'lookahead')?.details;
          if (lookahead)
            lines.push(`  ${String(lookahead.method)} (${String(lookahead.probes)} lookahead probes kept)`);
          const truth = outcome.truth;
          for (const p of outcome.proxies) {
            const cost = truth
              ? `${((p.seconds / truth.sweepSeconds) * 100).toFixed(2)}% of the sweep's time`
              : `${p.networksTrained} networks trained`;
            const agree = p.agreement
              ? `Spearman ${p.agreement.spearman.toFixed(2)}, Kendall ${p.agreement.kendall.toFixed(2)}`
              : `implies ${p.implied ? `${p.implied.groups.length} groups` : 'no grouping'}`;
            lines.push(`  ${p.proxy.padEnd(26)} ${agree.padEnd(32)} ${p.seconds.toFixed(2).padStart(8)} s  (${cost})`);
          }
          if (truth)
            lines.push(
              `for scale: two halves of the sweep's own replications agree at Spearman ${truth.halfCorrelation.toFixed(2)} (reliability ${truth.reliability.toFixed(2)}); a proxy cannot be expected to agree better`,
            );
          const grouping = truth?.grouping;
          if (grouping) {
            lines.push(
              `groupings (average linkage at budgets ${grouping.budgets.join(', ')}) against exact selection on the sweep's losses: mean ARI, mean regret in total test loss`,
            );
            const row = (name: string, g: { meanAri: number; meanRegret: number } | undefined): string =>
              `  ${name.padEnd(26)} ${g ? `ARI ${g.meanAri.toFixed(2)}, regret ${g.meanRegret >= 0 ? '+' : ''}${g.meanRegret.toFixed(4)}` : 'n/a (undefined cells)'}`;
            for (const p of outcome.proxies) lines.push(row(p.proxy, p.grouping));
            lines.push(row("the sweep's own matrix", grouping.sweepMatrix));
            lines.push(
              `  for scale: groupings of two halves of the sweep's seeds agree at ARI ${grouping.halfVsHalfAri.toFixed(2)}`,
            );
          }
          lines.push(`wrote ${outcome.files.json}, ${outcome.files.csv}, ${outcome.files.section}`);
          process.stdout.write(`${lines.join('\n')}\n`);
        },
      ),
    );
}
