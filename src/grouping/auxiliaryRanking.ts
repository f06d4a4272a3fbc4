import { mean, seedOfReplication, tInterval, type Interval } from '../affinity/stats.js';
import type { EpochLosses } from '../engine/train.js';
import type { NetworkRecord } from '../sweep/journal.js';
import { testLossOf, validationLossOf } from '../sweep/journal.js';
import { epochLosses } from '../sweep/record.js';
import { groupKey } from '../sweep/plan.js';
import { mainTaskGains, rankAuxiliaryTasks, type AuxiliaryRank } from './auxiliary.js';
import type { LossTable } from './lossTable.js';
import { seedLossTables, seedsOf } from './replicated.js';

/**
 * What the ranking of one candidate auxiliary needs, however it was measured (trained here, or elsewhere and
 * imported): per seed, loss tables over the tasks [main, candidate column 1..w] holding the networks {main} and
 * {main, 1..w} trained on the same inputs with common random numbers, and, for the learning-curve heuristics, the
 * per-epoch losses of the main task alone and of the candidate alone ({1..w}) per replication.
 */
export interface CandidateLosses {
  width: number;
  replications: string[];
  /** The seeds of the replications: the unit of inference (SEED_LEVEL), one loss table each. */
  seeds: string[];
  /** Per seed, the mean over its replications (folds). */
  test: LossTable[];
  validation: LossTable[];
  /** Per replication; absent where the journal holds no per-epoch losses or no candidate-alone network. */
  curves: ({ main: EpochLosses[]; auxiliary: EpochLosses[] } | undefined)[];
}

/** The candidate's columns as tasks 1..w of its own view, whatever their place in the network layout. */
export const candidateGroup = (width: number): number[] => Array.from({ length: width + 1 }, (_, k) => k);

/**
 * One candidate's losses from journal records whose networks hold the main task as task 0 and the candidate's
 * columns as tasks offset..offset+width-1 (several candidates can share a journal): the networks {0}, {0, columns}
 * and {columns}, renumbered to the candidate's own view [main, 1..w].
 */
export function candidateLossesOfRecords(
  records: Iterable<NetworkRecord>,
  offset: number,
  width: number,
  replications: string[],
): CandidateLosses {
  const columns = Array.from({ length: width }, (_, k) => offset + k);
  const wanted = new Map([groupKey([0]), groupKey([0, ...columns]), groupKey(columns)].map((k) => [k, true]));
  const view = [...records]
    .filter((r) => wanted.has(groupKey(r.group)))
    .map((r) => ({ ...r, group: r.group.map((t) => (t === 0 ? 0 : t - offset + 1)) }));
  const names = ['main', ...columns.map((c) => `column ${c}`)];
  const find = (replication: string, group: string): NetworkRecord | undefined =>
    view.find((r) => r.replication === replication && groupKey(r.group) === group);
  const alone = groupKey(candidateGroup(width).slice(1));
  return {
    width,
    replications,
    seeds: seedsOf(replications),
    test: seedLossTables(view, names, replications, testLossOf),
    validation: seedLossTables(view, names, replications, validationLossOf),
    curves: replications.map((r) => {
      const [main, auxiliary] = [find(r, '0'), find(r, alone)].map((record) => record && epochLosses(record));
      return main && auxiliary ? { main, auxiliary } : undefined;
    }),
  };
}

export interface CandidateMeasurement {
  /** Test gains per seed (the ranking's evidence). */
  testGains: number[];
  /** Mean validation gain: what the recommended set is chosen on. */
  validationGain: number;
}

export const measureCandidate = (losses: CandidateLosses): CandidateMeasurement => {
  const group = candidateGroup(losses.width);
  const validation = mainTaskGains(0, group, losses.validation);
  return {
    testGains: mainTaskGains(0, group, losses.test),
    validationGain: validation.length ? mean(validation) : NaN,
  };
};

/** Candidates ranked by test gain with intervals and FDR-controlled verdicts (`task` is the candidate's index). */
export function rankCandidates(
  measurements: readonly CandidateMeasurement[],
  level: number,
  fdr: number,
): AuxiliaryRank[] {
  return rankAuxiliaryTasks(
    measurements.map((m, task) => ({ task, gains: m.testGains })),
    level,
    fdr,
  );
}

/**
 * The recommended set: candidates by mean validation gain, best first, keeping those with a positive one, at most k.
 * Greedy on the single-candidate validation gains (an additive approximation: the set itself is measured only in
 * the closed loop, on fresh seeds).
 */
export function recommendOnValidation(measurements: readonly CandidateMeasurement[], k: number): number[] {
  return measurements
    .map((m, c) => ({ c, gain: m.validationGain }))
    .filter((m) => m.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.c - b.c)
    .slice(0, k)
    .map((m) => m.c);
}

/**
 * 1 − L_m(with)_s / L_m(reference)_s per seed s (each loss its seed's mean over folds) where both are known, e.g.
 * against the main task with all inputs; the interval has the seed as its unit.
 */
export function gainAgainst(
  withLoss: ReadonlyMap<string, number>,
  reference: ReadonlyMap<string, number>,
  level: number,
): Interval {
  const gains = [...withLoss].flatMap(([seed, loss]) =>
    reference.has(seed) ? [1 - loss / (reference.get(seed) as number)] : [],
  );
  return tInterval(gains, level);
}

/** The main task's (task 0's) test loss in network `group`, per seed: the mean over the seed's replications. */
export function mainLossBySeed(records: Iterable<NetworkRecord>, group: readonly number[]): Map<string, number> {
  const key = groupKey(group);
  const bySeed = new Map<string, number[]>();
  for (const r of records)
    if (groupKey(r.group) === key)
      bySeed.set(seedOfReplication(r.replication), [
        ...(bySeed.get(seedOfReplication(r.replication)) ?? []),
        r.testLoss[0],
      ]);
  return new Map([...bySeed].map(([seed, losses]) => [seed, mean(losses)]));
}
