import { seededRandom, permutation } from '../data/random.js';
import type { Matrix } from './gain.js';
import { mean, spearman, spearmanBrown } from './stats.js';

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
 * Undefined (NaN) with fewer than two replications.
 */
export function splitHalfReliability(perReplication: Matrix[], splits = 200, seed = 0): Reliability {
  const n = perReplication.length;
  if (n < 2) return { halfCorrelation: NaN, reliability: NaN, replications: n, splits: 0 };
  const random = seededRandom(seed, 11);
  const correlations: number[] = [];
  for (let s = 0; s < splits; s++) {
    const order = Array.from(permutation(n, random));
    const half = Math.floor(n / 2);
    const a = offDiagonal(average(order.slice(0, half).map((k) => perReplication[k])));
    const b = offDiagonal(average(order.slice(half).map((k) => perReplication[k])));
    correlations.push(spearman(a, b));
  }
  const halfCorrelation = mean(correlations);
  return { halfCorrelation, reliability: spearmanBrown(halfCorrelation), replications: n, splits };
}
