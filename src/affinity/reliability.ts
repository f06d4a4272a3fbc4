import { tQuantile } from '../vendor/tDistribution.js';
import { seededRandom, permutation } from '../data/random.js';
import type { Matrix } from './gain.js';
import { mean, seedOfReplication, spearman, spearmanBrown } from './stats.js';

export interface Reliability {
  /** Mean Spearman correlation of the off-diagonal cells between the averages of two halves of the replications. */
  halfCorrelation: number;
  /** Spearman-Brown corrected: the expected reliability of the average over all replications. */
  reliability: number;
  replications: number;
  splits: number;
}

const offDiagonal = (m: Matrix): number[] => m.flatMap((row, i) => row.filter((_, j) => i !== j));

function average(matrices: Matrix[]): Matrix {
  return matrices[0].map((row, i) => row.map((_, j) => mean(matrices.map((m) => m[i][j]))));
}

/**
 * A split's identity: the units in its first half, in any order. Few seeds have few distinct splits (3 seeds: 3), so each
 * is correlated once and its draws reuse it; the average over the draws is the same number (174 tasks, 3 seeds: 200
 * Spearman correlations over 30,102 cells became 3).
 */
const splitKey = (half: readonly number[]): string => [...half].sort((a, b) => a - b).join(',');

/**
 * Split-half reliability of the replication-averaged matrix: split the replications into two halves at random
 * (many times), correlate the halves' average matrices, and step the correlation up with Spearman-Brown.
 *
 * `units` names each replication's independent unit (its seed). Halves are drawn over units: the folds of one seed
 * test complementary rows, so splitting them between the halves makes the halves' errors negatively related and
 * understates the reliability of cross-fitting (emotions, 6 seeds x 5 folds: 0.39 splitting folds, 0.47 splitting
 * seeds). With fewer than two units the halves fall back to replications, the conservative side.
 * Undefined (NaN) with fewer than two replications.
 */
export function splitHalfReliability(
  perReplication: Matrix[],
  units?: readonly string[],
  splits = 200,
  seed = 0,
): Reliability {
  const n = perReplication.length;
  if (n < 2) return { halfCorrelation: NaN, reliability: NaN, replications: n, splits: 0 };
  const bySeed = units !== undefined && new Set(units).size >= 2;
  const unitOf = bySeed ? units : perReplication.map((_, k) => String(k));
  const names = [...new Set(unitOf)];
  const random = seededRandom(seed, 11);
  const correlations: number[] = [];
  const ofSplit = new Map<string, number>();
  for (let s = 0; s < splits; s++) {
    const order = Array.from(permutation(names.length, random));
    const half = order.slice(0, Math.floor(names.length / 2));
    const key = splitKey(half);
    let correlation = ofSplit.get(key);
    if (correlation === undefined) {
      const first = new Set(half.map((k) => names[k]));
      const inFirst = perReplication.filter((_, k) => first.has(unitOf[k]));
      const inSecond = perReplication.filter((_, k) => !first.has(unitOf[k]));
      correlation = spearman(offDiagonal(average(inFirst)), offDiagonal(average(inSecond)));
      ofSplit.set(key, correlation);
    }
    correlations.push(correlation);
  }
  const halfCorrelation = mean(correlations);
  return { halfCorrelation, reliability: spearmanBrown(halfCorrelation), replications: n, splits };
}

/** The matrix's split-half reliability with its replications (keys such as `s3f2`) kept together by seed. */
export const reliabilityOverSeeds = (perReplication: Matrix[], replications: readonly string[]): Reliability =>
  splitHalfReliability(perReplication, replications.map(seedOfReplication));

/** The split-half reliability with a one-sided lower confidence bound from the jackknife over seeds. */
export interface ReliabilityBound {
  reliability: number;
  /** Jackknife standard error over seeds (NaN with fewer than four seeds). */
  standardError: number;
  /** One-sided lower bound at `confidence`: reliability − t(confidence, seeds − 1) · standardError. */
  low: number;
  confidence: number;
  seeds: number;
}

/**
 * How far below its estimate the reliability may be: leave each seed out in turn, recompute the split-half
 * reliability on the same random splits (common random numbers: a left-out seed leaves its half, so the splits'
 * Monte Carlo noise cancels between the leave-one-out values instead of entering the variance), and take the jackknife
 * standard error (Efron & Stein 1981; each leave-one-out value is a reliability of one seed fewer). The adaptive run
 * stops on the lower bound rather than the estimate: the estimate of a few seeds swings by ±0.3 from one seed to the
 * next (emotions: 0.49, 0.35, −0.04, ...), and stopping at the first crossing of the target keeps exactly the
 * upward swings. Defined from four seeds (a seed left out of a split's half of two leaves one).
 */
export function reliabilityLowerBound(
  perReplication: Matrix[],
  replications: readonly string[],
  confidence: number,
  splits = 200,
  seed = 0,
): ReliabilityBound {
  const units = replications.map(seedOfReplication);
  const reliability = splitHalfReliability(perReplication, units, splits, seed).reliability;
  const names = [...new Set(units)];
  const g = names.length;
  if (g < 4) return { reliability, standardError: NaN, low: NaN, confidence, seeds: g };
  // each seed's replications summed cell by cell: a half's sum ranks its cells as its average does
  const cells = offDiagonal(perReplication[0]).length;
  const sums = names.map(() => new Float64Array(cells));
  perReplication.forEach((m, k) => {
    const sum = sums[names.indexOf(units[k])];
    offDiagonal(m).forEach((v, c) => {
      sum[c] += v;
    });
  });
  const random = seededRandom(seed, 11);
  const correlations = names.map(() => 0);
  const first = new Float64Array(cells);
  const second = new Float64Array(cells);
  const ofSplit = new Map<string, number[]>();
  for (let s = 0; s < splits; s++) {
    const order = Array.from(permutation(g, random));
    const half = order.slice(0, Math.floor(g / 2));
    const known = ofSplit.get(splitKey(half));
    if (known) {
      known.forEach((correlation, u) => {
        correlations[u] += correlation / splits;
      });
      continue;
    }
    const inFirst = new Set(half);
    const leftOut: number[] = [];
    first.fill(0);
    second.fill(0);
    sums.forEach((sum, u) => {
      const half = inFirst.has(u) ? first : second;
      for (let c = 0; c < cells; c++) half[c] += sum[c];
    });
    for (let u = 0; u < g; u++) {
      const own = inFirst.has(u) ? first : second;
      const without = Array.from(own, (v, c) => v - sums[u][c]);
      const other = Array.from(own === first ? second : first);
      leftOut.push(spearman(without, other));
      correlations[u] += leftOut[u] / splits;
    }
    ofSplit.set(splitKey(half), leftOut);
  }
  const leftOut = correlations.map(spearmanBrown);
  const centre = mean(leftOut);
  const standardError = Math.sqrt(((g - 1) / g) * leftOut.reduce((a, r) => a + (r - centre) ** 2, 0));
  return {
    reliability,
    standardError,
    low: reliability - tQuantile(confidence, g - 1) * standardError,
    confidence,
    seeds: g,
  };
}
