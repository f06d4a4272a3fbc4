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
  for (let s = 0; s < splits; s++) {
    const order = Array.from(permutation(names.length, random));
    const first = new Set(order.slice(0, Math.floor(names.length / 2)).map((k) => names[k]));
    const inFirst = perReplication.filter((_, k) => first.has(unitOf[k]));
    const inSecond = perReplication.filter((_, k) => !first.has(unitOf[k]));
    correlations.push(spearman(offDiagonal(average(inFirst)), offDiagonal(average(inSecond))));
  }
  const halfCorrelation = mean(correlations);
  return { halfCorrelation, reliability: spearmanBrown(halfCorrelation), replications: n, splits };
}

/** The matrix's split-half reliability with its replications (keys such as `s3f2`) kept together by seed. */
export const reliabilityOverSeeds = (perReplication: Matrix[], replications: readonly string[]): Reliability =>
  splitHalfReliability(perReplication, replications.map(seedOfReplication));
