import { LossLookup, type LossTable } from './lossTable.js';

/**
 * Directed pair gains from a loss table: g[i][j] = 1 − L_i({i,j}) / L_i({i}), how much training with task j lowers
 * task i's loss (positive: j helps i). 0 on the diagonal.
 */
export function pairGainMatrix(table: LossTable): number[][] {
  const lookup = new LossLookup(table);
  const n = lookup.taskCount;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 0 : 1 - lookup.required(i, i < j ? [i, j] : [j, i]) / lookup.required(i, [i]))),
  );
}

/** (m[i][j] + m[j][i]) / 2: an undirected affinity, which graph clustering needs. */
export const symmetrise = (m: readonly number[][]): number[][] => m.map((row, i) => row.map((v, j) => (v + m[j][i]) / 2));
