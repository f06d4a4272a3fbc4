import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sample standard deviation (n - 1). */
export function sampleSd(values: number[]): number {
  if (values.length < 2) return NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

/** Student-t confidence interval of the mean; NaN bounds with fewer than two values. */
export function tInterval(values: number[], level = 0.95): Interval {
  const m = mean(values);
  if (values.length < 2) return { mean: m, low: NaN, high: NaN, n: values.length };
  const half = tQuantile(1 - (1 - level) / 2, values.length - 1) * (sampleSd(values) / Math.sqrt(values.length));
  return { mean: m, low: m - half, high: m + half, n: values.length };
}

/** Average ranks (ties share their mean rank), 1-based. */
export function ranks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1][0] === order[start][0]) end++;
    for (let k = start; k <= end; k++) out[order[k][1]] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return out;
}

export function pearson(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

export const spearman = (a: number[], b: number[]): number => pearson(ranks(a), ranks(b));

/** Reliability of a measure of doubled length, from the correlation of its two halves. */
export const spearmanBrown = (halfCorrelation: number): number => (2 * halfCorrelation) / (1 + halfCorrelation);
