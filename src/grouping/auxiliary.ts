import { fdrVerdicts, type Verdict } from '../affinity/inference.js';
import { tInterval, tTestPValue } from '../affinity/stats.js';
import { LossLookup, type LossTable } from './lossTable.js';

/** Per-replication gains of candidate auxiliary `task` (a task index, or a candidate's index) for the main task. */
export interface AuxiliaryEvidence {
  task: number;
  gains: number[];
}

export interface AuxiliaryRank {
  task: number;
  /** Mean gain and its t confidence interval (NaN bounds with fewer than 2 replications). */
  mean: number;
  low: number;
  high: number;
  n: number;
  /** Two-sided p-value of the paired t-test of gain 0 (NaN with fewer than 2 replications). */
  p: number;
  verdict: Verdict;
}

/**
 * The main task's gain 1 − L_m(group)_s / L_m({m})_s in every replication s whose table holds both networks: pairing
 * by replication removes its own luck (split, initialisation, batch order) from the comparison.
 */
export function mainTaskGains(
  main: number,
  group: readonly number[],
  tables: readonly LossTable[],
  alone: readonly number[] = [main],
): number[] {
  return tables.flatMap((table) => {
    const lookup = new LossLookup(table);
    const single = lookup.loss(main, alone);
    const together = lookup.loss(main, group);
    return single === undefined || together === undefined ? [] : [1 - together / single];
  });
}

/** Gains g_s(j) = 1 − L_m({m,j})_s / L_m({m})_s of every other task j for main task m, from one loss table per replication. */
export function auxiliaryEvidence(main: number, seedTables: readonly LossTable[]): AuxiliaryEvidence[] {
  const taskCount = seedTables[0]?.taskNames.length ?? 0;
  return Array.from({ length: taskCount }, (_, task) => task)
    .filter((task) => task !== main)
    .map((task) => ({ task, gains: mainTaskGains(main, main < task ? [main, task] : [task, main], seedTables) }));
}

/** Candidates without any replication (NaN mean) rank last. */
const sortKey = (mean: number): number => (Number.isNaN(mean) ? -Infinity : mean);

/**
 * Candidates by mean gain, best first, each with a t interval and a verdict: helps or hurts where the paired t-test of
 * gain 0 is a discovery of Benjamini-Hochberg at false-discovery rate `fdr` over all candidates, else no evidence.
 */
export function rankAuxiliaryTasks(
  evidence: readonly AuxiliaryEvidence[],
  level: number,
  fdr: number,
): AuxiliaryRank[] {
  const pValues = evidence.map(({ gains }) => tTestPValue(gains));
  const intervals = evidence.map(({ gains }) => tInterval(gains, level));
  const verdicts = fdrVerdicts(
    intervals.map((i) => i.mean),
    pValues,
    fdr,
  );
  return evidence
    .map(({ task }, k): AuxiliaryRank => {
      const { mean, low, high, n } = intervals[k];
      return { task, mean, low, high, n, p: pValues[k], verdict: verdicts[k] };
    })
    .sort((a, b) => sortKey(b.mean) - sortKey(a.mean) || a.task - b.task);
}
