import { isNullControlName } from '../data/controls.js';
import { gainMatrix, groupScore, type Matrix, type Replicate } from './gain.js';
import { reliabilityLowerBound, reliabilityOverSeeds, type Reliability, type ReliabilityBound } from './reliability.js';
import { CellSeedMeans, mean as average, tInterval } from './stats.js';

/** The task-affinity matrix with its uncertainty: what every decision (grouping, auxiliary ranking) reads. */
export interface AffinityEstimate {
  taskNames: string[];
  /** Replication keys (`s<seed>` or `s<seed>f<fold>`); intervals are over their seeds (SEED_LEVEL). */
  replications: string[];
  level: number;
  /** Mean Standley gain over replications; [i][j] is how much j helps i. */
  mean: Matrix;
  low: Matrix;
  high: Matrix;
  /** Symmetric group score (mean of the two directed gains), for grouping. */
  groupScore: Matrix;
  perReplication: Matrix[];
  /** Mean single-task test loss L_i({i}) over replications. */
  singleLoss: number[];
  /** Split-half reliability over the real tasks' cells (null-control rows and columns left out). */
  reliability: Reliability;
}

/** The real tasks' block of a matrix: null controls (appended after the real tasks) calibrate, they are not measured. */
const realBlock = (taskNames: string[]) => {
  const real = taskNames.filter((name) => !isNullControlName(name)).length;
  return (m: Matrix): Matrix => m.slice(0, real).map((row) => row.slice(0, real));
};

/**
 * The matrix over replications. A replication that did not train a pair (NaN, see replicatesFromRecords) is left out
 * of that cell's mean and interval, and the reliability is taken over the replications that trained every pair.
 */
export function estimateAffinity(taskNames: string[], replicates: Replicate[], level: number): AffinityEstimate {
  const perReplication = replicates.map(gainMatrix);
  const T = taskNames.length;
  const replications = replicates.map((r) => r.replication);
  // one cell's interval at a time: a million interval objects (1000 tasks) were 100 MB held at once
  const mean = square(T);
  const low = square(T);
  const high = square(T);
  forEachCellSeedMeans(perReplication, replications, T, (i, j, seedMeans) => {
    const cell = tInterval(seedMeans, level);
    mean[i][j] = cell.mean;
    low[i][j] = i === j ? 0 : cell.low;
    high[i][j] = i === j ? 0 : cell.high;
  });
  const completeOnes = perReplication.flatMap((m, k) =>
    m.every((row) => row.every((v) => !Number.isNaN(v))) ? [k] : [],
  );
  return {
    taskNames,
    replications,
    level,
    mean,
    low,
    high,
    groupScore: groupScore(mean),
    perReplication,
    singleLoss: taskNames.map((_, i) => average(replicates.map((r) => r.single[i]))),
    reliability: reliabilityOverSeeds(
      completeOnes.map((k) => realBlock(taskNames)(perReplication[k])),
      completeOnes.map((k) => replications[k]),
    ),
  };
}

/**
 * estimateAffinity's `mean` alone (the same numbers: the mean of each cell's seed means), without the intervals, the
 * group score and the split-half reliability: what the early-stopping approximation compares with full training, once
 * per share of the epochs (at 1000 tasks the whole estimate made and dropped ten matrices and the reliability's
 * halves each time).
 */
export function meanGain(replicates: Replicate[], taskCount: number): Matrix {
  const mean = square(taskCount);
  forEachCellSeedMeans(
    replicates.map(gainMatrix),
    replicates.map((r) => r.replication),
    taskCount,
    (i, j, seedMeans) => (mean[i][j] = average(seedMeans)),
  );
  return mean;
}

/**
 * A T x T matrix of NaN. Each row is a row of doubles from the start: an empty row of small integers is copied when its
 * first double is stored, and the first copies of rows made long before would be old garbage (24 MB at 1000 tasks).
 */
const square = (T: number): Matrix => Array.from({ length: T }, () => new Array<number>(T).fill(NaN));

/** Each cell's values over `perReplication` as seed means (CellSeedMeans: the folds of a seed averaged first), in turn. */
function forEachCellSeedMeans(
  perReplication: Matrix[],
  replications: string[],
  T: number,
  each: (i: number, j: number, seedMeans: Float64Array) => void,
): void {
  const seedMeans = new CellSeedMeans(replications);
  const values = new Float64Array(replications.length);
  for (let i = 0; i < T; i++)
    for (let j = 0; j < T; j++) {
      for (let k = 0; k < values.length; k++) values[k] = perReplication[k][i][j];
      each(i, j, seedMeans.of(values));
    }
}

/** The estimate's reliability with its one-sided lower bound at `confidence` (over the real tasks' cells, like `reliability`). */
export const reliabilityBoundOf = (
  estimate: Pick<AffinityEstimate, 'taskNames' | 'perReplication' | 'replications'>,
  confidence: number,
): ReliabilityBound =>
  reliabilityLowerBound(estimate.perReplication.map(realBlock(estimate.taskNames)), estimate.replications, confidence);
