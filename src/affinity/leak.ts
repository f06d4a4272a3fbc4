import { InputError } from '../data/errors.js';
import { testLossOf, validationLossOf, type Records } from '../sweep/journal.js';
import { replicatesFromRecords, type Replicate } from './gain.js';
import { pearson } from './stats.js';

/** Does replication f's validation evidence predict replication f+1's test evidence beyond what any fold's does? */
export interface LeakCheck {
  /** Correlation of L_i({i}) − L_i({i,j}) on replication f's validation rows with the same on replication f+1's test rows. */
  adjacent: number;
  /** The same with replication f+2's test rows: the no-leak baseline (under the old design f+2 shared no rows with f). */
  unrelated: number;
  /** (seed, fold, cell) points in each correlation. */
  points: number;
}

const parseKey = (key: string): { seed: string; fold: number } => {
  const match = /^(s\d+)f(\d+)$/.exec(key);
  if (!match)
    throw new InputError(`replication '${key}' is not cross-fitted (s<seed>f<fold>): the leak check needs k folds`);
  return { seed: match[1], fold: Number(match[2]) };
};

/**
 * The design check of a cross-fitted journal (3+ folds): with validation rows that are another replication's test
 * rows (the old design, where fold f+1 selected for fold f), `adjacent` exceeds `unrelated`; with a validation block
 * that no replication tests on, both estimate the same thing.
 */
export function leakCorrelation(records: Records, taskCount: number, replications: readonly string[]): LeakCheck {
  const keys = replications.map(parseKey);
  const folds = Math.max(...keys.map((k) => k.fold)) + 1;
  if (folds < 3) throw new InputError('the leak check needs at least 3 folds per seed');
  const validation = replicatesFromRecords(records, taskCount, [...replications], validationLossOf);
  const test = replicatesFromRecords(records, taskCount, [...replications], testLossOf);
  const at = (seed: string, fold: number): number => keys.findIndex((k) => k.seed === seed && k.fold === fold % folds);
  const cells = (r: Replicate): number[] =>
    r.single.flatMap((single, i) => r.pair[i].flatMap((pair, j) => (i === j ? [] : [single - pair])));
  const x: number[] = [];
  const adjacent: number[] = [];
  const unrelated: number[] = [];
  keys.forEach(({ seed, fold }, r) => {
    const [next, later] = [at(seed, fold + 1), at(seed, fold + 2)];
    if (next < 0 || later < 0) return;
    x.push(...cells(validation[r]));
    adjacent.push(...cells(test[next]));
    unrelated.push(...cells(test[later]));
  });
  return { adjacent: pearson(x, adjacent), unrelated: pearson(x, unrelated), points: x.length };
}
