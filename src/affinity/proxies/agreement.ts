import type { Matrix } from '../gain.js';
import { kendall, spearman } from '../stats.js';

export interface Agreement {
  proxy: string;
  spearman: number;
  kendall: number;
  /** Off-diagonal cells, for scatter plots. */
  points: { target: number; source: number; truth: number; estimate: number }[];
}

/**
 * Rank agreement of a proxy with the measured gain matrix over the off-diagonal cells (cells the proxy leaves NaN are
 * skipped). A symmetric proxy is compared with the directed truth cell by cell.
 */
export function agreement(proxy: string, estimate: Matrix, truth: Matrix): Agreement {
  const points = truth.flatMap((row, i) =>
    row.flatMap((t, j) =>
      i === j || !Number.isFinite(estimate[i][j]) ? [] : [{ target: i, source: j, truth: t, estimate: estimate[i][j] }],
    ),
  );
  const x = points.map((p) => p.estimate);
  const y = points.map((p) => p.truth);
  return { proxy, spearman: spearman(x, y), kendall: kendall(x, y), points };
}
