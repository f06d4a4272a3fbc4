import type { Matrix } from '../gain.js';
import { spearman } from '../stats.js';

export interface Agreement {
  proxy: string;
  spearman: number;
  kendall: number;
  /** Off-diagonal cells, for scatter plots. */
  points: { target: number; source: number; truth: number; estimate: number }[];
}

/**
 * Kendall's tau-b: (C - D) / sqrt((n0 - n1)(n0 - n2)), where n1 and n2 count the pairs tied in a and in b. A pair tied
 * in both (a joint tie) is in n1 and n2, so it leaves both factors; pairs tied in only one of them stay in the other's.
 * O(n^2): fine for the T(T-1) cells of a task matrix.
 */
export function kendall(a: number[], b: number[]): number {
  let concordant = 0;
  let discordant = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = i + 1; j < a.length; j++) {
      const s = Math.sign(a[i] - a[j]) * Math.sign(b[i] - b[j]);
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
      else if (a[i] === a[j] && b[i] !== b[j]) onlyA++;
      else if (b[i] === b[j] && a[i] !== a[j]) onlyB++;
    }
  // n0 - n1 = pairs not tied in a = C + D + (tied in b only); likewise for b
  return (concordant - discordant) / Math.sqrt((concordant + discordant + onlyB) * (concordant + discordant + onlyA));
}

/**
 * Rank agreement of a proxy with the measured gain matrix over the off-diagonal cells (cells the proxy leaves NaN are
 * skipped). A symmetric proxy is compared with the directed truth cell by cell.
 */
export function agreement(proxy: string, estimate: Matrix, truth: Matrix): Agreement {
  const points = truth.flatMap((row, i) =>
    row.flatMap((t, j) => (i === j || !Number.isFinite(estimate[i][j]) ? [] : [{ target: i, source: j, truth: t, estimate: estimate[i][j] }])),
  );
  const x = points.map((p) => p.estimate);
  const y = points.map((p) => p.truth);
  return { proxy, spearman: spearman(x, y), kendall: kendall(x, y), points };
}
