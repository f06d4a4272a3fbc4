import type { Dataset } from '../../data/dataset.js';
import type { Matrix } from '../gain.js';
import { pearson } from '../stats.js';

const column = (ds: Dataset, t: number): number[] =>
  Array.from({ length: ds.rows }, (_, r) => ds.targets[r * ds.taskNames.length + t]);

/** The cheapest proxy: |Pearson correlation| of the task columns (the phi coefficient for binary tasks). */
export function labelCorrelation(ds: Dataset): Matrix {
  const columns = ds.taskNames.map((_, t) => column(ds, t));
  return columns.map((a, i) => columns.map((b, j) => (i === j ? 0 : Math.abs(pearson(a, b)))));
}

/** Mutual information (nats) between two binary task columns; NaN when a task is not binary. */
export function labelMutualInformation(ds: Dataset): Matrix {
  const columns = ds.taskNames.map((_, t) => column(ds, t));
  return columns.map((a, i) =>
    columns.map((b, j) => {
      if (i === j) return 0;
      if (ds.taskKinds[i] !== 'binary' || ds.taskKinds[j] !== 'binary') return NaN;
      const joint = [0, 0, 0, 0];
      a.forEach((v, r) => joint[v * 2 + b[r]]++);
      const n = a.length;
      const pa = [joint[0] + joint[1], joint[2] + joint[3]].map((c) => c / n);
      const pb = [joint[0] + joint[2], joint[1] + joint[3]].map((c) => c / n);
      return joint.reduce((mi, c, k) => (c === 0 ? mi : mi + (c / n) * Math.log(c / n / (pa[k >> 1] * pb[k & 1]))), 0);
    }),
  );
}
