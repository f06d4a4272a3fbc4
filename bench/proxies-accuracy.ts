/**
 * Accuracy and cost of every proxy against a full pairwise sweep on real data (emotions: 6 tasks, yeast: 14): rank
 * agreement with the sweep's gain matrix (Spearman, Kendall), the regret of each proxy's grouping priced by the
 * sweep's trained networks (mean over budgets 2..T−1), next to the sweep's own split-half noise ceiling. The sweep
 * (holdout 60/20/20, default engine, 4 seeds) is resumed from its journal in reports/bench-proxies-<data>.
 * usage: node dist/bench/proxies-accuracy.js [emotions|yeast|all] [--seeds 4] [--backend wasm]
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runPairwiseAnalysis } from '../src/analysis/pairwise.js';
import { runProxies } from '../src/analysis/proxies.js';
import { completeSpec } from '../src/analysis/spec.js';
import { writeArtefacts } from '../src/analysis/write.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string =>
  args.includes(name) ? args[args.indexOf(name) + 1] : fallback;
const which = args[0] && !args[0].startsWith('--') ? args[0] : 'all';
const seeds = Number(flag('--seeds', '4'));
const DATA: Record<string, { tasks: number }> = { emotions: { tasks: 6 }, yeast: { tasks: 14 } };
const dataDir = existsSync('analyses/data/yeast.csv') ? 'analyses/data' : '/work/shared/data';
const load = (): string =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/^.*load/, 'load');

for (const name of which === 'all' ? Object.keys(DATA) : [which]) {
  const spec = completeSpec(
    {
      name: `bench-proxies-${name}`,
      data: join(dataDir, `${name}.csv`),
      tasks: `last:${DATA[name].tasks}`,
      seeds,
      split: { kind: 'holdout' },
      out: join('reports', `bench-proxies-${name}`),
      ...(args.includes('--backend') ? { backend: flag('--backend', '') } : {}),
    },
    'bench',
  );
  const sweep = await runPairwiseAnalysis(spec, {});
  writeArtefacts(sweep); // the truth the proxies are scored against is the folder's affinity.json
  const outcome = await runProxies(spec, { truth: { dir: spec.out, required: true } });
  const truth = outcome.truth;
  if (!truth) throw new Error('the sweep left no truth to compare with');
  process.stdout.write(
    `\n${name}: ${DATA[name].tasks} tasks; sweep of ${sweep.sweep.journal.records.size} networks (${seeds} seeds) took ${truth.sweepSeconds.toFixed(0)} s of training; backend ${outcome.backend}; ${load()}\n` +
      `noise ceiling: split-half Spearman ${truth.halfCorrelation.toFixed(2)} (reliability ${truth.reliability.toFixed(2)}), grouping ARI of two halves ${truth.grouping?.halfVsHalfAri.toFixed(2) ?? 'n/a'}\n` +
      'proxy | seconds | networks | Spearman | Kendall | grouping ARI vs selection | regret (test loss) | implied groups\n',
  );
  const rows = [
    ...outcome.proxies.map((p) => ({ ...p, name: p.proxy })),
    {
      name: "sweep's own matrix",
      seconds: truth.sweepSeconds,
      networksTrained: sweep.sweep.journal.records.size,
      agreement: undefined,
      grouping: truth.grouping?.sweepMatrix,
      implied: undefined,
    },
  ];
  for (const p of rows)
    process.stdout.write(
      `${p.name} | ${p.seconds.toFixed(1)} | ${p.networksTrained} | ${p.agreement?.spearman.toFixed(2) ?? '-'} | ${p.agreement?.kendall.toFixed(2) ?? '-'} | ` +
        `${p.grouping?.meanAri.toFixed(2) ?? 'n/a'} | ${p.grouping ? `${p.grouping.meanRegret >= 0 ? '+' : ''}${p.grouping.meanRegret.toFixed(4)}` : 'n/a'} | ${p.implied?.groups.length ?? '-'}\n`,
    );
}
