import { gainMatrix, groupScore, type Matrix, type Replicate } from './gain.js';
import { splitHalfReliability, type Reliability } from './reliability.js';
import { tInterval } from './stats.js';

/** The task-affinity matrix with its uncertainty: what every decision (grouping, auxiliary ranking) reads. */
export interface AffinityEstimate {
  taskNames: string[];
  seeds: number[];
  level: number;
  /** Mean Standley gain over replications; [i][j] is how much j helps i. */
  mean: Matrix;
  low: Matrix;
  high: Matrix;
  /** Symmetric group score (mean of the two directed gains), for grouping. */
  groupScore: Matrix;
  perSeed: Matrix[];
  /** Mean single-task test loss L_i({i}) over replications. */
  singleLoss: number[];
  reliability: Reliability;
}

export function estimateAffinity(taskNames: string[], replicates: Replicate[], level = 0.95): AffinityEstimate {
  const perSeed = replicates.map(gainMatrix);
  const T = taskNames.length;
  const cells = Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => tInterval(perSeed.map((m) => m[i][j]), level)));
  const mean = cells.map((row) => row.map((c) => c.mean));
  return {
    taskNames,
    seeds: replicates.map((r) => r.seed),
    level,
    mean,
    low: cells.map((row, i) => row.map((c, j) => (i === j ? 0 : c.low))),
    high: cells.map((row, i) => row.map((c, j) => (i === j ? 0 : c.high))),
    groupScore: groupScore(mean),
    perSeed,
    singleLoss: taskNames.map((_, i) => tInterval(replicates.map((r) => r.single[i])).mean),
    reliability: splitHalfReliability(perSeed),
  };
}
