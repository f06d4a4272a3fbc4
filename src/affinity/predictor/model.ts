import { mean, sampleSd, spearman } from '../stats.js';

/**
 * The gain predictor's one model, fitted on some trained cells (no choice among models: a choice on a third of the
 * pairs measured on three seeds follows their noise, docs/PREDICTOR.md). A score ranks every directed cell: the cheap
 * features, standardised, summed with weights that start at each feature's built-in direction (its prior: 1 for a proxy
 * of affinity, 0 for a feature without one) and move toward its rank agreement with the trained gains as far as those
 * gains are reliable beyond their seed noise. The gain is that score calibrated on the trained cells (a slope kept
 * positive) plus each task's row and column effect (ETAP's residual on the task map), ridge-shrunk the harder the
 * noisier the trained cells and the less the tasks' mean residuals vary.
 */

/**
 * How far the trained cells' evidence moves a feature's weight from its prior: per standard error of its rank agreement
 * with the trained gains (about 1 / √pairs), at reliability 1.
 */
export const EVIDENCE_WEIGHT = 4;
/** Ridge penalty of the tasks' row and column effects at reliability 1, per effect (divided by the reliability). */
export const RESIDUAL_PENALTY = 4;
/** The calibrated slope never falls below this share of sd(gains) / sd(score): the score keeps ranking the cells. */
export const SLOPE_FLOOR = 0.1;
/** The reliability taken when the trained cells have one seed each, so that their noise is unknown. */
export const UNKNOWN_RELIABILITY = 0.5;
const MAX_SWEEPS = 200;

/** A trained cell as the model sees it: its cell, its measured mean gain and the squared standard error of that mean. */
export interface ModelCell {
  i: number;
  j: number;
  y: number;
  se2: number;
}

export interface FittedModel {
  predict: (i: number, j: number) => number;
  /** Per feature, its slope in the calibrated gain per standard deviation of the feature. */
  weights: number[];
  /** 1 − noise² / variance of the trained means, in [0, 1]; UNKNOWN_RELIABILITY when the noise is unknown. */
  reliability: number;
  /** The calibrated slope of the score (gain per standard deviation of the score), and whether the floor set it. */
  slope: number;
  slopeFloored: boolean;
}

/**
 * Each feature standardised over every off-diagonal cell (a missing value takes the mean): known for the untrained cells
 * too, so no gain enters. A constant feature is all zeros.
 */
export function standardiseFeatures(matrices: readonly number[][][], taskCount: number): number[][][] {
  return matrices.map((matrix) => {
    const values = matrix.flatMap((row, i) => row.filter((v, j) => i !== j && Number.isFinite(v)));
    const centre = values.length ? mean(values) : 0;
    const sd = values.length > 1 ? sampleSd(values) : 0;
    return Array.from({ length: taskCount }, (_, i) =>
      Array.from({ length: taskCount }, (_, j) =>
        i !== j && sd > 0 && Number.isFinite(matrix[i][j]) ? (matrix[i][j] - centre) / sd : 0,
      ),
    );
  });
}

/** The reliability of trained means: 1 − mean squared standard error / their variance, clipped to [0, 1]. */
export function reliabilityOf(cells: readonly ModelCell[]): number {
  const noise2 = mean(cells.map((c) => c.se2));
  if (!Number.isFinite(noise2)) return UNKNOWN_RELIABILITY;
  const variance = cells.length > 1 ? sampleSd(cells.map((c) => c.y)) ** 2 : 0;
  return variance > 0 ? Math.min(1, Math.max(0, 1 - noise2 / variance)) : 0;
}

/**
 * Fits the model on `cells` (of `pairs` distinct pairs) with the standardised features `q` and their priors; reads no
 * other cell's gain.
 */
export function fitModel(
  taskCount: number,
  cells: readonly ModelCell[],
  pairs: number,
  q: readonly number[][][],
  priors: readonly number[],
): FittedModel {
  const T = taskCount;
  const y = cells.map((c) => c.y);
  const reliability = reliabilityOf(cells);
  // a feature's rank agreement times √pairs is about its z-statistic when it carries nothing
  const weights = q.map((qk, k) => {
    const rho = spearman(
      cells.map((c) => qk[c.i][c.j]),
      y,
    );
    return priors[k] + EVIDENCE_WEIGHT * reliability * Math.sqrt(pairs) * (Number.isFinite(rho) ? rho : 0);
  });
  const score = (i: number, j: number): number => q.reduce((sum, qk, k) => sum + weights[k] * qk[i][j], 0);
  const s = cells.map((c) => score(c.i, c.j));
  const sdS = s.length > 1 ? sampleSd(s) : 0;
  const sdY = y.length > 1 ? sampleSd(y) : 0;
  const floor = sdS > 0 ? (SLOPE_FLOOR * sdY) / sdS : 0;
  const ms = mean(s);
  const sxx = s.reduce((sum, v) => sum + (v - ms) ** 2, 0);
  /** The score's line through `rest` (slope ≥ floor), and the least-squares slope it was kept from. */
  const line = (rest: number[]) => {
    const mr = mean(rest);
    const fitted = sxx > 0 ? s.reduce((sum, v, k) => sum + (v - ms) * (rest[k] - mr), 0) / sxx : 0;
    const slope = sdS > 0 ? Math.max(floor, fitted) : 0;
    return { fitted, slope, intercept: mr - slope * ms };
  };
  // each side's effects are shrunk by at least RESIDUAL_PENALTY / reliability, and by as much as their variance calls
  // for: the variance the line leaves per cell over the variance of the tasks' mean residuals beyond what that per-cell
  // variance alone gives them (a moment estimate; none beyond it: no effects on that side)
  const first = line(y);
  const left = y.map((v, k) => v - first.intercept - first.slope * s[k]);
  const perCell = mean(left.map((v) => v * v));
  const penaltyOf = (side: (c: ModelCell) => number): number => {
    const sums = new Array<number>(T).fill(0);
    const counts = new Array<number>(T).fill(0);
    cells.forEach((c, k) => {
      sums[side(c)] += left[k];
      counts[side(c)]++;
    });
    const seen = counts.flatMap((n, t) => (n > 0 ? [t] : []));
    const means = seen.map((t) => sums[t] / counts[t]);
    const beyond = mean(means.map((m) => m * m)) - mean(seen.map((t) => perCell / counts[t]));
    return reliability > 0 && beyond > 0 ? Math.max(RESIDUAL_PENALTY / reliability, perCell / beyond) : Infinity;
  };
  const penalties = [penaltyOf((c) => c.i), penaltyOf((c) => c.j)];
  const row = new Array<number>(T).fill(0);
  const column = new Array<number>(T).fill(0);
  let { intercept, slope, fitted } = first;
  // block coordinate descent on the penalised squared error: the score's line, then rows, then columns
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    const before = [intercept, slope, ...row, ...column];
    ({ intercept, slope, fitted } = line(cells.map((c, k) => y[k] - row[c.i] - column[c.j])));
    if (penalties.every((p) => p === Infinity)) break;
    for (const [effect, other, own, penalty] of [
      [row, column, (c: ModelCell) => [c.i, c.j], penalties[0]],
      [column, row, (c: ModelCell) => [c.j, c.i], penalties[1]],
    ] as const) {
      const sums = new Array<number>(T).fill(0);
      const counts = new Array<number>(T).fill(0);
      cells.forEach((c, k) => {
        const [t, u] = own(c);
        sums[t] += y[k] - intercept - slope * s[k] - other[u];
        counts[t]++;
      });
      for (let t = 0; t < T; t++) effect[t] = sums[t] / (counts[t] + penalty);
    }
    const after = [intercept, slope, ...row, ...column];
    if (after.every((v, k) => Math.abs(v - before[k]) < 1e-12)) break;
  }
  return {
    predict: (i, j) => intercept + slope * score(i, j) + row[i] + column[j],
    weights: weights.map((w) => slope * w),
    reliability,
    slope: slope * sdS,
    slopeFloored: sdS > 0 && fitted < floor,
  };
}
