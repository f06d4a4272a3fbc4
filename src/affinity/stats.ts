import { tCdf, tQuantile } from '../vendor/tDistribution.js';

// Sums in index order from 0, as reduce((a, b) => a + b, 0) adds: loops, so that typed arrays need no copy.
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k];
  return sum / values.length;
}

/** Sample standard deviation (n - 1). */
export function sampleSd(values: ArrayLike<number>): number {
  if (values.length < 2) return NaN;
  const m = mean(values);
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += (values[k] - m) ** 2;
  return Math.sqrt(sum / (values.length - 1));
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

/** Student-t confidence interval of the mean; NaN bounds with fewer than two values. */
export function tInterval(values: ArrayLike<number>, level: number): Interval {
  const m = mean(values);
  if (values.length < 2) return { mean: m, low: NaN, high: NaN, n: values.length };
  const half = tQuantile(1 - (1 - level) / 2, values.length - 1) * (sampleSd(values) / Math.sqrt(values.length));
  return { mean: m, low: m - half, high: m + half, n: values.length };
}

/**
 * Average ranks (ties share their mean rank), 1-based. Without NaN the order is of indices in a typed array: the same
 * ranks (a tie's members share one rank whichever order they sort in) without a [value, index] pair per value, which
 * at 999,000 cells (1000 tasks) outlived the young generation and were 100 MB of old garbage per call.
 */
export function ranks(values: number[]): number[] {
  if (values.some(Number.isNaN)) return ranksOfPairs(values);
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((i, j) => values[i] - values[j]);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    for (let k = start; k <= end; k++) out[order[k]] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return out;
}

/** ranks as first written: with NaN (which compares as equal to everything) its order is the sort's own, kept as it was. */
function ranksOfPairs(values: number[]): number[] {
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

/**
 * Kendall's tau-b: (C - D) / sqrt((n0 - n1)(n0 - n2)), where n1 and n2 count the pairs tied in a and in b. A pair tied
 * in both (a joint tie) is in n1 and n2, so it leaves both factors; pairs tied in only one of them stay in the other's.
 * Counted in O(n log n) (Knight 1966) for finite values, exactly the counts of the pair-by-pair definition
 * (kendallByPairs): at 1000 tasks a matrix has 999,000 off-diagonal cells, half a trillion pairs.
 */
export function kendall(a: number[], b: number[]): number {
  if (!a.every(Number.isFinite) || !b.every(Number.isFinite)) return kendallByPairs(a, b);
  const n = a.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i] - a[j] || b[i] - b[j]);
  // pairs tied in a (n1) and tied in both (n3), from the runs of the sorted order
  let tiedA = 0;
  let tiedBoth = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && a[order[end + 1]] === a[order[start]]) end++;
    const run = end - start + 1;
    tiedA += (run * (run - 1)) / 2;
    for (let k = start; k <= end; ) {
      let stop = k;
      while (stop + 1 <= end && b[order[stop + 1]] === b[order[k]]) stop++;
      const both = stop - k + 1;
      tiedBoth += (both * (both - 1)) / 2;
      k = stop + 1;
    }
    start = end + 1;
  }
  // discordant pairs: inversions of b in that order (pairs tied in a are in b's order, so none of theirs count)
  const values = Float64Array.from(order, (i) => b[i]);
  const discordant = inversions(values, new Float64Array(n), 0, n);
  // pairs tied in b (n2): runs of b, now sorted
  let tiedB = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && values[end + 1] === values[start]) end++;
    tiedB += ((end - start + 1) * (end - start)) / 2;
    start = end + 1;
  }
  const pairs = (n * (n - 1)) / 2;
  const concordant = pairs - tiedA - tiedB + tiedBoth - discordant;
  const onlyA = tiedA - tiedBoth;
  const onlyB = tiedB - tiedBoth;
  return (concordant - discordant) / Math.sqrt((concordant + discordant + onlyB) * (concordant + discordant + onlyA));
}

/** Sorts values[from, to) ascending (merge sort, through `scratch`) and returns its pairs in strictly falling order. */
function inversions(values: Float64Array, scratch: Float64Array, from: number, to: number): number {
  if (to - from < 2) return 0;
  const middle = (from + to) >> 1;
  let count = inversions(values, scratch, from, middle) + inversions(values, scratch, middle, to);
  let i = from;
  let j = middle;
  let k = from;
  while (i < middle && j < to)
    if (values[j] < values[i]) {
      count += middle - i;
      scratch[k++] = values[j++];
    } else scratch[k++] = values[i++];
  while (i < middle) scratch[k++] = values[i++];
  while (j < to) scratch[k++] = values[j++];
  values.set(scratch.subarray(from, to), from);
  return count;
}

/** Kendall's tau-b pair by pair, O(n^2): the definition, and the way for values that are not all finite. */
export function kendallByPairs(a: number[], b: number[]): number {
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
 * Reliability of a measure of doubled length, from the correlation of its two halves. Defined for a correlation of 0
 * or more: halves that disagree (a negative correlation, -0.6 would give -3.00) mean no reliability, so it is clamped
 * to 0 (`reliabilityClamped` says when).
 */
export const spearmanBrown = (halfCorrelation: number): number =>
  halfCorrelation < 0 ? 0 : (2 * halfCorrelation) / (1 + halfCorrelation);

/** The halves disagreed: the reported reliability 0 is Spearman-Brown clamped, not computed. */
export const reliabilityClamped = (halfCorrelation: number): boolean => halfCorrelation < 0;

/** The independent unit of a replication key: its seed (`s3f2` → `s3`). */
export const seedOfReplication = (replication: string): string => replication.replace(/f\d+$/, '');

/** How every interval and test over replications is taken; quoted in the outputs' method strings. */
export const SEED_LEVEL = "seed-level: each seed's folds averaged first, Student-t over seeds (df = seeds - 1)";

/**
 * Per seed, the mean of its replications' values, in first-seen seed order. The folds of one seed share the seed's
 * initialisation and validation rows and test complementary rows, so they are not independent; their mean is.
 */
export function seedMeans(values: readonly number[], replications: readonly string[]): number[] {
  if (values.length !== replications.length)
    throw new RangeError(`${values.length} values for ${replications.length} replications`);
  const bySeed = new Map<string, number[]>();
  values.forEach((v, k) => {
    const seed = seedOfReplication(replications[k]);
    bySeed.set(seed, [...(bySeed.get(seed) ?? []), v]);
  });
  return [...bySeed.values()].map(mean);
}

/**
 * seedMeans of one cell's values after another, over the replications whose value is not NaN (a replication that did not
 * train the pair), without making anything per cell: at 1000 tasks a million cells each made several arrays and a Map,
 * of which V8 moved 30-60 MB per matrix to the old heap. `of` gives seedMeans's numbers in its order (seeds as first met).
 */
export class CellSeedMeans {
  /** Per replication, the index of its seed. */
  private readonly seedOf: Int32Array;
  private readonly sums: Float64Array;
  private readonly counts: Int32Array;
  /** The seeds of the current cell as first met, and their means in that order. */
  private readonly order: Int32Array;
  private readonly means: Float64Array;

  constructor(replications: readonly string[]) {
    const seeds = new Map<string, number>();
    this.seedOf = Int32Array.from(replications, (replication) => {
      const seed = seedOfReplication(replication);
      if (!seeds.has(seed)) seeds.set(seed, seeds.size);
      return seeds.get(seed) as number;
    });
    this.sums = new Float64Array(seeds.size);
    this.counts = new Int32Array(seeds.size);
    this.order = new Int32Array(seeds.size);
    this.means = new Float64Array(seeds.size);
  }

  /** The seed means of `values` (one per replication, NaN where it has none); valid until the next call. */
  of(values: ArrayLike<number>): Float64Array {
    if (values.length !== this.seedOf.length)
      throw new RangeError(`${values.length} values for ${this.seedOf.length} replications`);
    this.counts.fill(0);
    let seeds = 0;
    for (let k = 0; k < values.length; k++) {
      if (Number.isNaN(values[k])) continue;
      const seed = this.seedOf[k];
      if (this.counts[seed] === 0) {
        this.order[seeds++] = seed;
        this.sums[seed] = 0;
      }
      this.sums[seed] += values[k];
      this.counts[seed]++;
    }
    for (let s = 0; s < seeds; s++) this.means[s] = this.sums[this.order[s]] / this.counts[this.order[s]];
    return this.means.subarray(0, seeds);
  }
}

/** Student-t interval with the seed as the unit (SEED_LEVEL): n is the number of seeds. */
export const seedInterval = (values: readonly number[], replications: readonly string[], level: number): Interval =>
  tInterval(seedMeans(values, replications), level);

/** Two-sided p-value of a one-sample t-test of mean 0 (NaN with fewer than two values). */
export function tTestPValue(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  const se = sampleSd(values) / Math.sqrt(n);
  if (se === 0) return m === 0 ? 1 : 0;
  return 2 * tCdf(-Math.abs(m / se), n - 1);
}

/** Up to this many distinct values, a column counts as discrete (its values are its categories). */
const MAX_DISCRETE = 10;

/**
 * Category of every value: the value itself for a discrete column, else one of `bins` bins, equal-width over the
 * values' range (`quantile`: equal-frequency, cut at the values' quantiles).
 */
export function categories(values: number[], bins = MAX_DISCRETE, binning: 'width' | 'quantile' = 'width'): number[] {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length <= MAX_DISCRETE) return values.map((v) => distinct.indexOf(v));
  if (binning === 'quantile') {
    const sorted = values.slice().sort((a, b) => a - b);
    const cuts = Array.from({ length: bins - 1 }, (_, k) => sorted[Math.floor(((k + 1) * sorted.length) / bins)]);
    return values.map((v) => cuts.filter((c) => v >= c).length);
  }
  const [low, high] = [distinct[0], distinct[distinct.length - 1]];
  return values.map((v) => Math.min(bins - 1, Math.floor(((v - low) / (high - low)) * bins)));
}

/** Shannon entropy in bits of a categorical sample. */
export function entropyBits(labels: number[]): number {
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return -[...counts.values()].reduce((s, c) => s + (c / labels.length) * Math.log2(c / labels.length), 0);
}

/** Excess kurtosis m4 / m2^2 − 3 (population moments); NaN for a constant sample. */
export function excessKurtosis(values: number[]): number {
  const m = mean(values);
  const m2 = mean(values.map((v) => (v - m) ** 2));
  const m4 = mean(values.map((v) => (v - m) ** 4));
  return m2 > 0 ? m4 / m2 ** 2 - 3 : NaN;
}

/** Plug-in mutual information in bits of two categorical samples of equal length. */
export function mutualInformationBits(a: number[], b: number[]): number {
  const pair = a.map((x, i) => x * 1e6 + b[i]);
  return entropyBits(a) + entropyBits(b) - entropyBits(pair);
}
