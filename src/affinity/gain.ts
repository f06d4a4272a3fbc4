import { InputError } from '../data/errors.js';
import { symmetrise } from '../math/matrix.js';
import { testLossOf, type Records, type RecordLoss } from '../sweep/journal.js';
import { networkId } from '../sweep/plan.js';
import { recordOf } from '../sweep/recordStore.js';

export type Matrix = number[][];

/** One replication's losses: L_i({i}) and L_i({i, j}) (NaN on the diagonal). */
export interface Replicate {
  /** Replication key, e.g. `s0` or `s0f3`. */
  replication: string;
  single: number[];
  pair: Matrix;
}

/**
 * Collects each replication's single and pair losses from journal records (test losses unless `which` picks others);
 * a missing network is an error naming it, or with `missingPairs` a pair the replication did not train is NaN (a
 * decision-focused allocation trains only some pairs on a seed; every statistic then skips those cells).
 */
export function replicatesFromRecords(
  records: Records,
  tasks: number,
  replications: string[],
  which: RecordLoss = testLossOf,
  missingPairs: 'error' | 'nan' = 'error',
): Replicate[] {
  const lossesOf = (replication: string, group: number[]): number[] => {
    const record = recordOf(records, replication, group);
    const losses = record && which(record);
    if (!losses && !record && group.length === 2 && missingPairs === 'nan') return [NaN, NaN];
    if (!losses)
      throw new InputError(
        `the journal has no ${record ? 'such losses' : 'result'} for network ${networkId(replication, group)}: run the sweep first`,
      );
    return losses;
  };
  return replications.map((replication) => {
    const single = Array.from({ length: tasks }, (_, i) => lossesOf(replication, [i])[0]);
    const pair = Array.from({ length: tasks }, () => new Array<number>(tasks).fill(NaN));
    // each pair's record read once for both of its tasks (a record is rebuilt from the journal's columns when read)
    for (let i = 0; i < tasks; i++)
      for (let j = i + 1; j < tasks; j++) [pair[i][j], pair[j][i]] = lossesOf(replication, [i, j]);
    return { replication, single, pair };
  });
}

/** Standley gain A[i][j] = 1 - L_i({i,j}) / L_i({i}): positive when training with j helps i. Diagonal 0. */
export function gainMatrix(replicate: Replicate): Matrix {
  return replicate.pair.map((row, i) => row.map((loss, j) => (i === j ? 0 : 1 - loss / replicate.single[i])));
}

/** The symmetric score of training i and j together: the mean of the two directed gains. */
export const groupScore = (gain: Matrix): Matrix => symmetrise(gain);
