import { tInterval } from '../affinity/stats.js';
import { LossLookup, type LossTable } from './lossTable.js';

/** Per-replication gains of candidate auxiliary `task` for the main task. */
export interface AuxiliaryEvidence {
  task: number;
  gains: number[];
}

export type AuxiliaryVerdict = 'helps' | 'hurts' | 'no significant help';

export interface AuxiliaryRank {
  task: number;
  /** Mean gain and its t confidence interval (NaN bounds with fewer than 2 replications). */
  mean: number;
  low: number;
  high: number;
  n: number;
  verdict: AuxiliaryVerdict;
}

/**
 * Gains g_s(j) = 1 − L_m({m,j})_s / L_m({m})_s of every other task j for main task m, from one loss table per seed
 * (or replication): pairing by seed removes the seed's own luck from the comparison. Seeds lacking either network
 * are skipped for that candidate.
 */
export function auxiliaryEvidence(main: number, seedTables: readonly LossTable[]): AuxiliaryEvidence[] {
  const lookups = seedTables.map((table) => new LossLookup(table));
  const taskCount = lookups[0]?.taskCount ?? 0;
  const evidence: AuxiliaryEvidence[] = [];
  for (let task = 0; task < taskCount; task++) {
    if (task === main) continue;
    const pair = main < task ? [main, task] : [task, main];
    const gains = lookups.flatMap((lookup) => {
      const alone = lookup.loss(main, [main]);
      const together = lookup.loss(main, pair);
      return alone === undefined || together === undefined ? [] : [1 - together / alone];
    });
    evidence.push({ task, gains });
  }
  return evidence;
}

/** Candidates without any replication (NaN mean) rank last. */
const sortKey = (mean: number): number => (Number.isNaN(mean) ? -Infinity : mean);

/** Candidates by mean gain, best first, each with a verdict from whether its confidence interval excludes 0. */
export function rankAuxiliaryTasks(evidence: readonly AuxiliaryEvidence[], level = 0.95): AuxiliaryRank[] {
  return evidence
    .map(({ task, gains }): AuxiliaryRank => {
      const { mean, low, high, n } = tInterval(gains, level);
      const verdict: AuxiliaryVerdict = low > 0 ? 'helps' : high < 0 ? 'hurts' : 'no significant help';
      return { task, mean, low, high, n, verdict };
    })
    .sort((a, b) => sortKey(b.mean) - sortKey(a.mean) || a.task - b.task);
}
