import { gainMatrix } from '../affinity/gain.js';
import { reliabilityOverSeeds } from '../affinity/reliability.js';
import { ilpMaxGroupSize } from '../grouping/curve.js';
import { LossLookup } from '../grouping/lossTable.js';
import { groupKey, pairwiseGroups, type Group } from '../sweep/plan.js';
import { complete, type PairCells } from './cells.js';
import { decisionUncertainty, type DecisionUncertainty } from './decision.js';
import { evidenceCells, type AllocationEvidence, type ShortRunAgreement } from './evidence.js';

/** One network to train next: its seed, its tasks, and whether it is a short run (a fraction of the epochs). */
export interface PlannedNetwork {
  seed: number;
  group: Group;
  short: boolean;
}

/** A strategy's answer after a round: the networks to train next, or why it stops. */
export interface AllocationStep {
  networks: PlannedNetwork[];
  stop?: string;
  cells?: PairCells;
  uncertainty?: DecisionUncertainty;
  shortRuns?: ShortRunAgreement;
}

export interface AllocationSettings {
  /** Budgets of the decision (networks in the grouping), default 1..T. */
  budgets: number[];
  maxGroupSize: number;
  /** Seeds of a full sweep: what `full` and `seeds` start with, and the firmness decision-focused allocation aims for. */
  seeds: number;
  /** Seeds of the short-run screen (every single and pair short, the singles also in full). */
  screenSeeds: number;
  /** Short runs train this share of the epochs. */
  shortFraction: number;
  /**
   * Decision-focused strategies stop once their expected regret is at most a full sweep's of `seeds` seeds on the same
   * cells, or at most this share of the summed single-task validation losses.
   */
  tolerance: number;
  /** Pairs trained per round of decision-focused allocation. */
  roundSize: number;
  /** Adaptive seeds: the split-half reliability to reach. */
  reliability: number;
  /** The most seeds a strategy opens (decision-focused allocation: the full sweep's, so it never trains more than that sweep). */
  maxSeeds: number;
  /**
   * The indifference zone, in standard errors of a full sweep of `seeds` seeds: contenders whose summed validation
   * losses differ by less are equivalent, and decision-focused strategies stop separating them.
   */
  indifference: number;
  /** Drawn tables per round of the decision's uncertainty. */
  draws: number;
  /** The first seed a strategy trains; later seeds follow it. */
  firstSeed: number;
}

export interface AllocationStrategy {
  label: string;
  /** One sentence for the outputs: what it trains and when it stops. */
  describe: (settings: AllocationSettings) => string;
  next: (evidence: AllocationEvidence, settings: AllocationSettings) => Promise<AllocationStep>;
}

const singles = (T: number): Group[] => Array.from({ length: T }, (_, t) => [t]);
const pairs = (T: number): Group[] => pairwiseGroups(T).filter((g) => g.length === 2);
const onSeed = (seed: number, groups: Group[], short = false): PlannedNetwork[] =>
  groups.map((group) => ({ seed, group, short }));
const seedRange = (from: number, count: number): number[] => Array.from({ length: count }, (_, k) => from + k);
const nextSeed = (e: AllocationEvidence, first: number): number =>
  Math.max(first - 1, ...e.full.seeds, ...(e.short?.seeds ?? [])) + 1;

/** Whole seeds of every single and pair, in full: `seeds` of them, or up to `maxSeeds` one round each. */
function wholeSeeds(e: AllocationEvidence, count: number, first: number): PlannedNetwork[] {
  const T = e.taskNames.length;
  return seedRange(nextSeed(e, first), count).flatMap((seed) => onSeed(seed, [...singles(T), ...pairs(T)]));
}

/**
 * Short runs of every single and pair on `count` seeds, with the singles also in full on the first `fullSingles` of them
 * (the pairs' gains are relative to them).
 */
function shortScreen(e: AllocationEvidence, count: number, first: number, fullSingles = count): PlannedNetwork[] {
  const T = e.taskNames.length;
  return seedRange(nextSeed(e, first), count).flatMap((seed, k) => [
    ...(k < fullSingles ? onSeed(seed, singles(T)) : []),
    ...onSeed(seed, [...singles(T), ...pairs(T)], true),
  ]);
}

/**
 * About a third of the pairs, each task in as many: every task with its next k tasks round a circle, k ≈ (T − 1) / 6
 * (at least 1), so that each task's row and column effects, which the gain predictor learns, rest on 2k pairs.
 */
export function spreadPairs(T: number): Group[] {
  const k = Math.max(1, Math.round((T - 1) / 6));
  const chosen = new Map<string, Group>();
  for (let d = 1; d <= k; d++)
    for (let t = 0; t < T; t++) {
      const pair = [t, (t + d) % T].sort((a, b) => a - b);
      if (pair[0] !== pair[1]) chosen.set(groupKey(pair), pair);
    }
  return [...chosen.values()];
}

/** The split-half reliability of the complete seeds' gain matrices (NaN below two). */
export function completeSeedReliability(e: AllocationEvidence): number {
  const T = e.taskNames.length;
  const full = e.full.validation.filter((_, s) => pairs(T).every((p) => e.full.trained[s].has(groupKey(p))));
  if (full.length < 2) return NaN;
  const gains = full.map((table) => {
    const lookup = new LossLookup(table);
    return gainMatrix({
      replication: '',
      single: singles(T).map((g) => lookup.required(g[0], g)),
      pair: Array.from({ length: T }, (_, i) =>
        Array.from({ length: T }, (_, j) => (i === j ? NaN : lookup.required(i, i < j ? [i, j] : [j, i]))),
      ),
    });
  });
  return reliabilityOverSeeds(
    gains,
    gains.map((_, k) => `s${k}`),
  ).reliability;
}

/**
 * The cells as a full sweep of `seeds` seeds would know them: every cell at its current mean, with the noise of that
 * many seeds (a cell's seed-level deviation, not its standard error: short runs may have sharpened a measured one).
 */
function asFullSweep(cells: PairCells, seeds: number): PairCells {
  return {
    ...cells,
    cells: cells.cells.map((row, i) =>
      row.map((cell) => {
        if (!cell) return null;
        const sd = Number.isFinite(cell.seedSd) ? cell.seedSd : cells.noise[i];
        return { ...cell, se: sd / Math.sqrt(seeds) };
      }),
    ),
  };
}

/**
 * The decision's uncertainty on the current cells (all of them must have a number), and the expected regret a full
 * sweep of `settings.seeds` seeds would leave on the same means: the firmness the allocation aims for.
 */
async function uncertaintyOf(e: AllocationEvidence, settings: AllocationSettings) {
  const { cells, shortRuns } = evidenceCells(e);
  if (!complete(cells)) throw new Error('internal: the allocation decided before every pair had a number');
  const options = {
    budgets: settings.budgets,
    // the draws look for contenders among groups of at most ~500 (and the dendrogram's clusters): all 2^14 groups of
    // yeast made a round minutes; the decision reported is the exact solver's over every group
    maxGroupSize: Math.min(settings.maxGroupSize, ilpMaxGroupSize(e.taskNames.length)),
    draws: settings.draws,
    // the draws depend on the evidence, not on the round: a resumed allocation repeats the decisions it made
    seed: e.networkEpochs,
  };
  const fullSweep = asFullSweep(cells, settings.seeds);
  const indifference = {
    fullSweepSe: fullSweep.cells.map((row) => row.map((cell) => cell?.se ?? 0)),
    standardErrors: settings.indifference,
  };
  const uncertainty = await decisionUncertainty(cells, e.taskNames, { ...options, indifference });
  const target = Number.isFinite(uncertainty.expectedRegret)
    ? (await decisionUncertainty(fullSweep, e.taskNames, { ...options, indifference })).expectedRegret
    : NaN;
  return { cells, shortRuns, uncertainty, target };
}

/** The stopping rule of decision-focused allocation: as firm as a full sweep of its seeds, or within tolerance. */
function stopReason(cells: PairCells, u: DecisionUncertainty, target: number, s: AllocationSettings): string {
  const scale = cells.single.reduce((a, b) => a + b, 0);
  if (Number.isFinite(u.expectedRegret) && u.expectedRegret <= Math.max(target, s.tolerance * scale))
    return `the decision is as firm as a full sweep of ${s.seeds} seeds would make it: expected regret ${u.expectedRegret.toPrecision(2)} beyond the indifference margin (${s.indifference} standard errors of a full sweep) under the remaining uncertainty (a full sweep: ${target.toPrecision(2)}; summed single-task losses ${scale.toPrecision(3)})`;
  return '';
}

/**
 * The pairs whose training can change the decision most, each on the first seed that lacks it in full (a new seed
 * brings its singles along: a pair's differences are taken within its seed).
 */
function mostValuable(e: AllocationEvidence, value: number[][], s: AllocationSettings): PlannedNetwork[] {
  const T = e.taskNames.length;
  const ranked = pairs(T)
    .map((p) => ({ p, v: value[p[0]][p[1]] + value[p[1]][p[0]] }))
    .filter((x) => x.v > 0)
    .sort((a, b) => b.v - a.v);
  const planned: PlannedNetwork[] = [];
  let count = 0;
  const opened = new Map<number, Set<string>>(e.full.seeds.map((seed, k) => [seed, new Set(e.full.trained[k])]));
  let fresh = nextSeed(e, s.firstSeed);
  for (const { p } of ranked) {
    if (count === s.roundSize) break;
    const key = groupKey(p);
    let seed = [...opened.keys()].find((s) => !opened.get(s)?.has(key));
    if (seed === undefined) {
      if (opened.size >= s.maxSeeds) continue;
      seed = fresh++;
      opened.set(seed, new Set(singles(T).map(groupKey)));
      planned.push(...onSeed(seed, singles(T)));
    }
    opened.get(seed)?.add(key);
    planned.push({ seed, group: p, short: false });
    count++;
  }
  return planned;
}

/**
 * The finalists of short runs: the pairs that carry `share` of the decision's doubt (the value of training them), most
 * valuable first; before there is any noise estimate, the pairs the decision uses at any budget.
 */
function finalists(u: DecisionUncertainty, T: number, share = 0.9): Group[] {
  const ranked = pairs(T)
    .map((p) => ({ p, v: u.value[p[0]][p[1]] + u.value[p[1]][p[0]] }))
    .filter((x) => x.v > 0)
    .sort((a, b) => b.v - a.v);
  const total = ranked.reduce((sum, x) => sum + x.v, 0);
  const chosen: Group[] = [];
  let carried = 0;
  for (const { p, v } of ranked) {
    if (carried >= share * total) break;
    chosen.push(p);
    carried += v;
  }
  return chosen;
}

/** A decision-focused round: the most valuable pairs in full, unless the decision is as firm as a full sweep. */
async function decisionRound(e: AllocationEvidence, s: AllocationSettings): Promise<AllocationStep> {
  const { cells, shortRuns, uncertainty, target } = await uncertaintyOf(e, s);
  const stop = stopReason(cells, uncertainty, target, s);
  const networks = stop ? [] : mostValuable(e, uncertainty.value, s);
  return {
    networks,
    stop: stop || (networks.length === 0 ? 'no further training can change the decision' : undefined),
    cells,
    uncertainty,
    shortRuns,
  };
}

/**
 * The allocation strategies, by name: `decision`, `screen`, `predict`, `short` and `early` are values of the definition's `allocation` field
 * (analysis/allocate.ts runs their rounds); `seeds`, the adaptive-seeds baseline, is what the sweep's own
 * --until-reliability loop does, here for the bench (a full sweep is its first round). Each plans the next networks
 * (group, seed, full or short) from the evidence so far; whatever trains (the native trainer, a tfjs model, queue
 * workers) trains that list and journals it.
 */
export const ALLOCATION_STRATEGIES = {
  seeds: {
    label: 'adaptive seeds',
    describe: (s) =>
      `every single and pair on ${s.seeds} seeds, then whole seeds until the matrix's split-half reliability reaches ${s.reliability}`,
    next: async (e, s) => {
      if (e.full.seeds.length === 0) return { networks: wholeSeeds(e, s.seeds, s.firstSeed) };
      const reliability = completeSeedReliability(e);
      if (reliability >= s.reliability)
        return { networks: [], stop: `reliability ${reliability.toFixed(2)} with ${e.full.seeds.length} seeds` };
      if (e.full.seeds.length >= s.maxSeeds)
        return { networks: [], stop: `budget reached at reliability ${reliability.toFixed(2)}` };
      return { networks: wholeSeeds(e, 1, s.firstSeed) };
    },
  },
  decision: {
    label: 'decision-focused',
    describe: (s) =>
      `every single and pair on one seed, then the pairs that can change the grouping at some budget, ${s.roundSize} a round on up to ${s.maxSeeds} seeds, until the decision is as firm as a full sweep of ${s.seeds} seeds would make it (or its expected regret is within ${(100 * s.tolerance).toPrecision(2)}% of the summed single losses)`,
    next: async (e, s): Promise<AllocationStep> =>
      e.full.seeds.length === 0 ? { networks: wholeSeeds(e, 1, s.firstSeed) } : decisionRound(e, s),
  },
  screen: {
    label: 'short screen, then decision-focused',
    describe: (s) =>
      `short runs (${Math.round(100 * s.shortFraction)}% of the epochs) of every single and pair on ${s.screenSeeds} seeds and the singles in full on one; then the pairs that can change the grouping at some budget in full, ${s.roundSize} a round on up to ${s.maxSeeds} seeds, until the decision is as firm as a full sweep of ${s.seeds} seeds would make it beyond the indifference margin (${s.indifference} of its standard errors)`,
    next: async (e, s): Promise<AllocationStep> =>
      e.full.seeds.length === 0 ? { networks: shortScreen(e, s.screenSeeds, s.firstSeed, 1) } : decisionRound(e, s),
  },
  predict: {
    label: 'predicted, then decision-focused',
    describe: (s) =>
      `every single and about a third of the pairs (each task with as many partners) on one seed, the other pairs' gains predicted from them (docs/PREDICTOR.md); then the pairs that can change the grouping at some budget in full, ${s.roundSize} a round on up to ${s.maxSeeds} seeds, until the decision is as firm as a full sweep of ${s.seeds} seeds would make it beyond the indifference margin (${s.indifference} of its standard errors)`,
    next: async (e, s): Promise<AllocationStep> => {
      const T = e.taskNames.length;
      if (e.full.seeds.length > 0) return decisionRound(e, s);
      return { networks: onSeed(nextSeed(e, s.firstSeed), [...singles(T), ...spreadPairs(T)]) };
    },
  },
  early: {
    label: 'short runs only',
    describe: (s) =>
      `short runs (${Math.round(100 * s.shortFraction)}% of the epochs) of every single and pair on ${s.seeds} seeds and the singles in full on the first; the grouping is chosen on the short runs (every pair approximated), nothing else is trained`,
    next: async (e, s): Promise<AllocationStep> => {
      if (e.full.seeds.length === 0) return { networks: shortScreen(e, s.seeds, s.firstSeed, 1) };
      const { cells, shortRuns } = evidenceCells(e);
      return {
        networks: [],
        stop: `the short runs of every pair on ${e.short?.seeds.length ?? 0} seeds are trained: the grouping rests on them (approximated, not measured)`,
        cells,
        shortRuns,
      };
    },
  },
  short: {
    label: 'short runs',
    describe: (s) =>
      `short runs (${Math.round(100 * s.shortFraction)}% of the epochs) of every single and pair on ${s.screenSeeds} seeds, then the finalists (the pairs that carry 90% of the decision's doubt) in full on the same seeds`,
    next: async (e, s) => {
      if (e.full.seeds.length === 0) return { networks: shortScreen(e, s.screenSeeds, s.firstSeed) };
      const { cells, shortRuns, uncertainty } = await uncertaintyOf(e, s);
      // the screen trains only singles in full: once any pair is, the finalists are done
      if (e.full.trained.some((keys) => [...keys].some((k) => k.includes('+'))))
        return { networks: [], stop: 'finalists trained in full', cells, uncertainty, shortRuns };
      const chosen = finalists(uncertainty, e.taskNames.length);
      return {
        networks: e.full.seeds.flatMap((seed) => onSeed(seed, chosen)),
        cells,
        uncertainty,
        shortRuns,
      };
    },
  },
} satisfies Record<string, AllocationStrategy>;

export type AllocationStrategyName = keyof typeof ALLOCATION_STRATEGIES;
