import type { NetworkRecord } from '../../sweep/record.js';
import { perEpochLength } from '../../sweep/record.js';
import { type RecordLoss, validationLossOf } from '../../sweep/journal.js';
import { mean } from '../stats.js';
import type { CellFeature, TrainedCell } from './fit.js';

/**
 * The trained directed cells of some records: per seed, the relative gain 1 − L_i({i,j}) / L_i({i}) (validation losses
 * unless `lossOf` says otherwise), a seed's folds averaged first so that every seed counts once. A pair enters a seed
 * only when the seed also trained both singles.
 */
export function trainedCells(
  records: Iterable<NetworkRecord>,
  taskCount: number,
  lossOf: RecordLoss = validationLossOf,
): TrainedCell[] {
  // per seed and group key, the losses of each of its folds
  const bySeed = new Map<number, Map<string, number[][]>>();
  for (const record of records) {
    if (record.group.length > 2) continue;
    const losses = lossOf(record);
    if (!losses) continue;
    const groups = bySeed.get(record.seed) ?? new Map<string, number[][]>();
    bySeed.set(record.seed, groups);
    const key = record.group.join('+');
    groups.set(key, [...(groups.get(key) ?? []), losses]);
  }
  const gains = new Map<string, number[]>();
  for (const groups of bySeed.values()) {
    const averaged = (key: string, k: number): number | undefined => {
      const folds = groups.get(key);
      return folds ? mean(folds.map((l) => l[k])) : undefined;
    };
    for (let i = 0; i < taskCount; i++)
      for (let j = i + 1; j < taskCount; j++) {
        const key = `${i}+${j}`;
        const [si, sj, pi, pj] = [averaged(String(i), 0), averaged(String(j), 0), averaged(key, 0), averaged(key, 1)];
        if (si === undefined || sj === undefined || pi === undefined || pj === undefined) continue;
        gains.set(`${i},${j}`, [...(gains.get(`${i},${j}`) ?? []), 1 - pi / si]);
        gains.set(`${j},${i}`, [...(gains.get(`${j},${i}`) ?? []), 1 - pj / sj]);
      }
  }
  return [...gains].map(([key, values]) => {
    const [i, j] = key.split(',').map(Number);
    return { i, j, gains: values };
  });
}

/**
 * Features of the single-task networks, which every allocation trains: how early each task's own network stopped
 * improving (its selected epoch over the epochs it ran, mean over seeds; a task that overfits early is the one a
 * partner can regularise), as a row feature (the receiving task i) and a column feature (the giving task j). Neither
 * has a direction of its own (prior 0): the predictor learns theirs from the trained gains.
 */
export function singleTaskFeatures(records: Iterable<NetworkRecord>, taskCount: number): CellFeature[] {
  const shares: number[][] = Array.from({ length: taskCount }, () => []);
  for (const record of records) {
    const ran = perEpochLength(record);
    if (record.group.length === 1 && ran && record.bestEpoch > 0) shares[record.group[0]].push(record.bestEpoch / ran);
  }
  const share = shares.map((s) => (s.length ? mean(s) : Number.NaN));
  if (share.every((s) => !Number.isFinite(s))) return [];
  const grid = (value: (i: number, j: number) => number): number[][] =>
    share.map((_, i) => share.map((_, j) => (i === j ? 0 : value(i, j))));
  return [
    {
      id: 'stop-receiver',
      label: "receiving task's single-task stopping epoch",
      matrix: grid((i) => share[i]),
      prior: 0,
    },
    { id: 'stop-giver', label: "giving task's single-task stopping epoch", matrix: grid((_, j) => share[j]), prior: 0 },
  ];
}
