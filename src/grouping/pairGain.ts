import { gainMatrix } from '../affinity/gain.js';
import { lossLookup, type LossTable } from './lossTable.js';

/**
 * Directed pair gains from a loss table: g[i][j] = 1 − L_i({i,j}) / L_i({i}), how much training with task j lowers
 * task i's loss (positive: j helps i). 0 on the diagonal.
 */
export function pairGainMatrix(table: LossTable): number[][] {
  const lookup = lossLookup(table);
  const n = lookup.taskCount;
  return gainMatrix({
    replication: 'loss table',
    single: Array.from({ length: n }, (_, i) => lookup.required(i, [i])),
    pair: Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? NaN : lookup.requiredPair(i, j))),
    ),
  });
}
