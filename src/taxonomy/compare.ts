import type { Matrix } from '../affinity/gain.js';
import { agreement } from '../affinity/proxies/agreement.js';
import { mean, spearman } from '../affinity/stats.js';

/** How the Taskonomy matrix ranks transfers against the Standley pairwise gains of the same tasks ([target][source]). */
export interface PairwiseComparison {
  /** Over all off-diagonal cells. */
  spearman: number;
  kendall: number;
  /** Mean over targets of the Spearman correlation within the target's row: both methods rank sources per target. */
  meanWithinTarget: number;
  cells: number;
}

export function compareWithPairwise(taxonomy: Matrix, gain: Matrix): PairwiseComparison {
  const overall = agreement('taskonomy', taxonomy, gain);
  const rows = gain.map((row, i) => {
    const cells = row.flatMap((g, j) =>
      i === j || !Number.isFinite(g) || !Number.isFinite(taxonomy[i][j]) ? [] : [[taxonomy[i][j], g]],
    );
    return cells.length >= 3
      ? spearman(
          cells.map((c) => c[0]),
          cells.map((c) => c[1]),
        )
      : NaN;
  });
  const finiteRows = rows.filter(Number.isFinite);
  return {
    spearman: overall.spearman,
    kendall: overall.kendall,
    meanWithinTarget: finiteRows.length ? mean(finiteRows) : NaN,
    cells: overall.points.length,
  };
}
