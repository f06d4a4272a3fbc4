/**
 * Fewer trainings for the same decision: network-epochs each allocation strategy spends, and the regret of the grouping
 * it would pick after every round, against the grouping a large reference sweep picks (at every budget, scored on the
 * reference's mean test losses; the mean over budgets, 1..T up to 24 tasks, a geometric grid beyond, is reported). Strategies read their networks from a cached pool
 * (bench/allocation/sets.ts), so the counts and regrets do not depend on the machine's load.
 * usage: node dist/bench/allocation.js [all|yeast,emotions,planted-clusters,planted-conflict,planted-weak] (or planted174,
 *          and the held-out draws planted-conflict-b, planted-conflict-c, planted-clusters-b, planted-weak-b)
 *          [--repetitions 10] [--reference-seeds 40] [--pool-seeds 60] [--strategies seeds,decision,short,screen] (or early,
 *          predict; the full sweep and the screen alone always run; '' runs only them) [--screen-seeds 2] (seeds of the
 *          short-run screen of short/screen and of the screen alone) [--short-fraction 0.25] [--full-seeds 10] (the full
 *          sweep's row goes up to this many seeds; 3 when only its definition's seeds are wanted: faster)
 * The screen alone is also calibrated on a random 10%, 20% and 30% of the pairs trained in full on its first seed (the
 * honest counterpart of the oracle line: what a calibration sample chosen without the decision would give).
 */
import { execSync } from 'node:child_process';
import { tInterval } from '../src/affinity/stats.js';
import { allocationBudgets } from '../src/analysis/allocate.js';
import { defaultMaxGroupSize } from '../src/grouping/curve.js';
import { meanLossTable, seedLossTables } from '../src/grouping/replicated.js';
import { selectBackend } from '../src/engine/backend.js';
import { testLossOf, validationLossOf } from '../src/sweep/journal.js';
import {
  ALLOCATION_STRATEGIES,
  type AllocationSettings,
  type AllocationStrategyName,
} from '../src/allocation/strategies.js';
import { servedTotal } from '../src/grouping/serving.js';
import { SWEEP_OPTIONS } from '../src/options/sweep.js';
import { benchSets, cachedSweep } from './allocation/sets.js';
import { screenOnly, type ScreenOnly } from './allocation/screenOnly.js';
import { decide, simulate, type Reference, type Trajectory } from './allocation/simulate.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string =>
  args.includes(name) ? args[args.indexOf(name) + 1] : fallback;
const which = args[0] && !args[0].startsWith('--') ? args[0] : 'all';
const repetitions = Number(flag('--repetitions', '10'));
const referenceSeeds = Number(flag('--reference-seeds', '40'));
const poolSize = Number(flag('--pool-seeds', '60'));
// the full sweep (whole seeds one at a time) always runs: it is what the others are measured against
const strategies = flag('--strategies', 'seeds,decision,short,screen')
  .split(',')
  .filter(Boolean) as AllocationStrategyName[];
const indifference = Number(flag('--indifference', String(SWEEP_OPTIONS.indifference.default)));
const load = (): string =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/^.*load/, 'load');
const backend = await selectBackend();
const fmt = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** The regret of the last decision taken within `networkEpochs` (NaN before the first decision). */
const regretAt = (t: Trajectory, networkEpochs: number): number => {
  const within = t.checkpoints.filter((c) => c.networkEpochs <= networkEpochs + 1e-9);
  return within.length ? within[within.length - 1].regret : NaN;
};

process.stdout.write(
  `allocation bench: ${repetitions} repetitions, reference ${referenceSeeds} seeds, pool ${poolSize} seeds, backend ${backend}; ${load()}\n`,
);
for (const set of benchSets().filter((s) => (which === 'all' ? !s.onlyWhenNamed : which.split(',').includes(s.name)))) {
  const started = Date.now();
  const cached = await cachedSweep(set, referenceSeeds, poolSize, backend);
  const taskNames = set.dataset.taskNames;
  const T = taskNames.length;
  // every budget up to 24 tasks, beyond a geometric grid: the budgets an allocated sweep watches
  const budgets = allocationBudgets(T);
  const maxGroupSize = defaultMaxGroupSize(T);
  const keys = cached.referenceSeeds.map((s) => `s${s}`);
  const test = meanLossTable(seedLossTables(cached.records.values(), taskNames, keys, testLossOf));
  const servings = decide(
    meanLossTable(seedLossTables(cached.records.values(), taskNames, keys, validationLossOf)),
    budgets,
    maxGroupSize,
  );
  const reference: Reference = { test, servings, totals: servings.map((s) => servedTotal(test, s)) };
  const settings: AllocationSettings = {
    budgets,
    maxGroupSize,
    seeds: set.fullSeeds,
    screenSeeds: Number(flag('--screen-seeds', '2')),
    shortFraction: Number(flag('--short-fraction', '0.25')),
    tolerance: 0.001,
    indifference,
    roundSize: Math.max(4, Math.ceil((T * (T - 1)) / 2 / 5)),
    reliability: 0.7,
    maxSeeds: set.fullSeeds,
    draws: 8,
    firstSeed: 0,
  };
  const perSeed = T + (T * (T - 1)) / 2;
  const fullCost = perSeed * set.fullSeeds * set.engine.epochs; // an upper bound with patience; measured below
  const runs = new Map<string, Trajectory[]>();
  const named = [
    // whole seeds one at a time: the full sweep of 1, 2, ..., 10 seeds (checkpoint k is the sweep of k seeds)
    [
      'full',
      {
        ...settings,
        seeds: 1,
        reliability: 2,
        maxSeeds: Math.min(cached.poolSeeds.length, Math.max(Number(flag('--full-seeds', '10')), set.fullSeeds)),
      },
    ],
    ...strategies.map((s): [string, AllocationSettings] => [
      s,
      s === 'seeds' ? { ...settings, maxSeeds: 16 } : settings,
    ]),
  ] as [string, AllocationSettings][];
  const seconds = new Map<string, number>();
  const pool = cached.poolSeeds.length;
  const screens: ScreenOnly[] = [];
  for (let rep = 0; rep < repetitions; rep++) {
    const offset = (rep * Math.floor(pool / repetitions)) % pool;
    const poolSeeds = cached.poolSeeds.map((_, k) => cached.poolSeeds[(offset + k) % pool]);
    screens.push(
      screenOnly(
        cached.records,
        poolSeeds.slice(0, settings.screenSeeds),
        cached.referenceSeeds,
        taskNames,
        set.engine,
        Math.max(1, Math.round(settings.shortFraction * set.engine.epochs)),
        reference,
        budgets,
        maxGroupSize,
      ),
    );
    for (const [name, s] of named) {
      const strategy = (name === 'full' ? 'seeds' : name) as AllocationStrategyName;
      const began = Date.now();
      const t = await simulate(strategy, s, cached.records, poolSeeds, set.engine, taskNames, reference);
      seconds.set(name, (seconds.get(name) ?? 0) + (Date.now() - began) / 1000);
      runs.set(name, [...(runs.get(name) ?? []), t]);
    }
  }
  const full = runs.get('full') as Trajectory[];
  const fullAt = full.map((t) => t.checkpoints[set.fullSeeds - 1]);
  const fullEpochs = fullAt.reduce((s, c) => s + c.networkEpochs, 0) / fullAt.length;
  const fullRegret = tInterval(
    fullAt.map((c) => c.regret),
    0.95,
  );
  // the full sweep of one seed: a third of the full sweep's cost when it has three seeds
  const oneSeed = full.map((t) => t.checkpoints[0]);
  const oneSeedRegret = tInterval(
    oneSeed.map((c) => c.regret),
    0.95,
  );
  const oneSeedPaired = tInterval(
    oneSeed.map((c, r) => c.regret - fullAt[r].regret),
    0.95,
  );
  const oneSeedShare = oneSeed.reduce((s, c) => s + c.networkEpochs, 0) / oneSeed.length / fullEpochs;
  process.stdout.write(
    `\n${set.name}: ${set.what}; ${T} tasks, ${perSeed} networks per seed; full sweep of ${set.fullSeeds} seeds: ${fullEpochs.toFixed(0)} network-epochs (at most ${fullCost}), regret ${fmt(fullRegret.mean)} [${fmt(fullRegret.low)}, ${fmt(fullRegret.high)}]; of 1 seed: ${oneSeedShare.toFixed(2)} of it, regret ${fmt(oneSeedRegret.mean)} [${fmt(oneSeedRegret.low)}, ${fmt(oneSeedRegret.high)}], − full sweep's ${fmt(oneSeedPaired.mean)} [${fmt(oneSeedPaired.low)}, ${fmt(oneSeedPaired.high)}] (paired); ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  const screenShare = screens.reduce((sum, x) => sum + x.networkEpochs, 0) / screens.length / fullEpochs;
  const [asTheyAre, oracle] = [
    tInterval(
      screens.map((x, r) => x.asTheyAre - fullAt[r].regret),
      0.95,
    ),
    tInterval(
      screens.map((x, r) => x.oracle - fullAt[r].regret),
      0.95,
    ),
  ];
  process.stdout.write(
    `the screen alone (short runs of every single and pair on ${settings.screenSeeds} seeds, the singles in full on 1: ${screenShare.toFixed(2)} of the full sweep), regret − the full sweep's (paired): short runs as they are ${fmt(asTheyAre.mean)} [${fmt(asTheyAre.low)}, ${fmt(asTheyAre.high)}]; calibrated by the least-squares line to the reference's full-length gains (an oracle) ${fmt(oracle.mean)} [${fmt(oracle.low)}, ${fmt(oracle.high)}]\n`,
  );
  for (const [k, { share }] of screens[0].sampled.entries()) {
    const paired = tInterval(
      screens.map((x, r) => x.sampled[k].regret - fullAt[r].regret),
      0.95,
    );
    const cost = screens.reduce((sum, x) => sum + x.sampled[k].networkEpochs, 0) / screens.length / fullEpochs;
    const avg = (f: (x: ScreenOnly) => number): string =>
      fmt(screens.reduce((sum, x) => sum + f(x), 0) / screens.length, 2);
    process.stdout.write(
      `the screen calibrated on a random ${share} of the pairs trained in full on its first seed: ${cost.toFixed(2)} of the full sweep, regret − the full sweep's (paired) ${fmt(paired.mean)} [${fmt(paired.low)}, ${fmt(paired.high)}]; the sample's Spearman ${avg((x) => x.sampled[k].spearman)}, R² ${avg((x) => x.sampled[k].r2)}, slope ${avg((x) => x.sampled[k].slope)}, intercept ${avg((x) => x.sampled[k].intercept)}\n`,
    );
  }
  process.stdout.write(
    'strategy | network-epochs at stop (share of full) | regret at stop [95% CI] | regret at stop − full sweep [95% CI, paired] | regret at 1/3 of full − full sweep [95% CI] | network-epochs to reach the full sweep’s regret | expected regret at stop | short-run Spearman | seconds of deciding per repetition | stops\n',
  );
  for (const [name] of named) {
    const trajectories = runs.get(name) as Trajectory[];
    const last = trajectories.map((t) => t.checkpoints[t.checkpoints.length - 1]);
    const cost = last.reduce((s, c) => s + c.networkEpochs, 0) / last.length;
    const regret = tInterval(
      last.map((c) => c.regret),
      0.95,
    );
    // the same repetition's full sweep of the definition's seeds: differences over repetitions cancel the pool's luck
    const paired = tInterval(
      last.map((c, r) => c.regret - fullAt[r].regret),
      0.95,
    );
    const third = tInterval(
      trajectories.map((t, r) => regretAt(t, fullEpochs / 3) - fullAt[r].regret),
      0.95,
    );
    // the smallest grid cost at which the mean regret over repetitions is at most the full sweep's
    const grid = Array.from({ length: 400 }, (_, k) => ((k + 1) / 100) * fullEpochs);
    const reach = grid.find((c) => {
      const at = trajectories.map((t) => regretAt(t, c));
      return at.every(Number.isFinite) && at.reduce((a, b) => a + b, 0) / at.length <= fullRegret.mean;
    });
    const expected = last.map((c) => c.expectedRegret).filter(Number.isFinite);
    const spearmans = last.map((c) => c.shortRunSpearman).filter(Number.isFinite);
    const stops = [...new Set(trajectories.map((t) => t.stop.replace(/[\d.]+/g, '#')))].join('; ');
    process.stdout.write(
      `${name === 'full' ? `full (1..${last.length ? trajectories[0].checkpoints.length : 0} seeds)` : ALLOCATION_STRATEGIES[name as AllocationStrategyName].label} | ${cost.toFixed(0)} (${(cost / fullEpochs).toFixed(2)}) | ${fmt(regret.mean)} [${fmt(regret.low)}, ${fmt(regret.high)}] | ${fmt(paired.mean)} [${fmt(paired.low)}, ${fmt(paired.high)}] | ${fmt(third.mean)} [${fmt(third.low)}, ${fmt(third.high)}] | ${reach === undefined ? 'not reached' : `${reach.toFixed(0)} (${(reach / fullEpochs).toFixed(2)})`} | ${expected.length ? fmt(expected.reduce((a, b) => a + b, 0) / expected.length) : '-'} | ${spearmans.length ? fmt(spearmans.reduce((a, b) => a + b, 0) / spearmans.length, 2) : '-'} | ${((seconds.get(name) ?? 0) / repetitions).toFixed(1)} | ${stops}\n`,
    );
  }
}
