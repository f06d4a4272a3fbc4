import { Matrix } from 'ml-matrix';

/**
 * Pairwise tournament over held-out examples: share[a][b] = fraction of examples on which candidate a's loss is below
 * candidate b's (ties count half), so share[a][b] + share[b][a] = 1. `losses[c][e]`: candidate c's loss on example e.
 */
export function winShares(losses: ArrayLike<number>[]): number[][] {
  const n = losses[0]?.length ?? 0;
  if (losses.some((l) => l.length !== n)) throw new RangeError('every candidate needs a loss on the same examples');
  return losses.map((a, i) =>
    losses.map((b, j) => {
      if (i === j) return 0.5;
      let wins = 0;
      for (let e = 0; e < n; e++) wins += a[e] < b[e] ? 1 : a[e] === b[e] ? 0.5 : 0;
      return wins / n;
    }),
  );
}

/** Taskonomy's bounds on a win share: a candidate that always wins is 999 times better, not infinitely. */
export const SHARE_CLIP = [0.001, 0.999] as const;

/** Taskonomy's pairwise comparison matrix: shares clipped to SHARE_CLIP, then W'[a][b] = W[a][b] / W[b][a]. */
export function comparisonMatrix(shares: number[][]): number[][] {
  const clip = (v: number): number => Math.min(SHARE_CLIP[1], Math.max(SHARE_CLIP[0], v));
  return shares.map((row, a) => row.map((share, b) => clip(share) / clip(shares[b][a])));
}

export interface AhpResult {
  /** Principal eigenvector, summing to 1: each candidate's normalised performance. */
  weights: number[];
  lambdaMax: number;
  /** (λmax − n) / (n − 1): 0 for a perfectly consistent matrix. */
  consistencyIndex: number;
  /** The index divided by that of random reciprocal matrices of the same size; Saaty calls above 0.1 inconsistent. */
  consistencyRatio: number;
}

/**
 * Saaty's random consistency index for n = 1..15; beyond, Alonso & Lamata's (2006) fit of the mean λmax of random
 * reciprocal matrices, λ ≈ 2.7699 n − 4.3513.
 */
export function randomIndex(n: number): number {
  const saaty = [0, 0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];
  return n < saaty.length ? saaty[n] : (1.7699 * n - 4.3513) / (n - 1);
}

/**
 * Analytic Hierarchy Process on a positive reciprocal matrix: its principal (Perron) eigenvector by power iteration,
 * which converges for positive matrices, and the consistency of the judgements.
 */
export function ahp(comparisons: number[][], tolerance = 1e-13, maxIterations = 10_000): AhpResult {
  const n = comparisons.length;
  const A = new Matrix(comparisons);
  let v = Matrix.ones(n, 1).div(n);
  let lambdaMax = n;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const next = A.mmul(v);
    lambdaMax = next.sum(); // v sums to 1, so this is the Rayleigh-like estimate of λmax
    next.div(lambdaMax);
    const change = Matrix.sub(next, v).abs().max();
    v = next;
    if (change < tolerance) break;
  }
  const consistencyIndex = n > 1 ? Math.max(0, (lambdaMax - n) / (n - 1)) : 0;
  const ri = randomIndex(n);
  return { weights: v.getColumn(0), lambdaMax, consistencyIndex, consistencyRatio: ri > 0 ? consistencyIndex / ri : 0 };
}

/** Tournament, clipping and AHP in one: the normalised performance of each candidate from its per-example losses. */
export const ahpFromLosses = (losses: ArrayLike<number>[]): AhpResult => ahp(comparisonMatrix(winShares(losses)));
