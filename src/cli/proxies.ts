import type { Command } from 'commander';
import { writeArtefacts } from '../analysis/write.js';
import { PROXY_OPTIONS } from '../affinity/proxies/registry.js';
import { PROXIES_OPTIONS } from '../options/proxies.js';
import { standIn } from '../artefacts/proxies.js';
import { readDefinition } from './definition.js';
import { guarded } from './errors.js';
import { addOptions, givenValues } from './options.js';

export function registerProxies(program: Command): void {
  addOptions(
    program
      .command('proxies')
      .description(
        'cheap estimates of the affinity matrix (linearised gradients, sampled-subset surrogate, TAG lookahead, gradient cosine, label statistics) and the grouping each implies; compared with a full sweep when one is at hand; flags override the definition',
      )
      .argument(
        '<definition>',
        'analysis definition JSON (data, tasks, engine settings), e.g. analyses/emotions-pairwise.json',
      ),
    'proxies',
  ).action(
    guarded(async (definition: string, flags: Record<string, unknown>) => {
      const spec = readDefinition(definition, flags);
      const { truth: truthDir, predict, ...options } = givenValues(flags, PROXIES_OPTIONS);
      // imported when run: the proxies load tfjs, which no other command's start-up should pay for
      const { runProxies } = await import('../analysis/proxies.js');
      const outcome = await runProxies(spec, {
        ...options,
        ...givenValues(flags, PROXY_OPTIONS),
        ...(predict === undefined ? {} : { predict }),
        truth: { dir: truthDir ?? spec.out, required: truthDir !== undefined },
        progress: flags.quiet !== true,
      });
      const lines = [
        `proxies of ${outcome.taskNames.length} tasks on backend '${outcome.backend}'${outcome.truth ? '' : ` (${outcome.notCompared ?? 'no sweep to compare with'}: standalone)`}`,
      ];
      for (const p of outcome.proxies) if (p.note) lines.push(`  ${p.proxy}: ${p.note}`);
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
      const predictor = outcome.predictor;
      if (predictor) {
        const { report } = predictor;
        lines.push(
          `predicted (never measured): ${predictor.cells.length} directed cells of the pairs ${predictor.dir} did not train, from ${report.trainedPairs} trained pairs; ${Math.round(report.level * 100)}% intervals ±${report.halfWidth.toFixed(4)} (proxies.md lists them)`,
          `  held-out error ${report.error.toFixed(4)} (95% upper bound ${report.errorHigh.toFixed(4)}) against the measurement noise ${report.noise.toFixed(4)}, held-out Spearman ${report.heldOutSpearman.toFixed(2)}. ${standIn(report)}`,
        );
        for (const f of report.features.filter((f) => f.verdict === 'anti-correlates'))
          lines.push(
            `  ${f.label} anti-correlates with the measured gains here (Spearman ${f.spearman.toFixed(2)} [${f.low.toFixed(2)}, ${f.high.toFixed(2)}]): ${f.weight < 0 ? 'used reversed' : 'not used reversed: the trained cells are too noisy to overrule its prior'}`,
          );
      }
      lines.push(`wrote ${writeArtefacts(outcome).join(', ')}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }),
  );
}
