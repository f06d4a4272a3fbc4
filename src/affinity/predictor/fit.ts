import { permutation, seededRandom } from '../../data/random.js';
import { mean, sampleSd, spearman } from '../stats.js';
import {
  EVIDENCE_WEIGHT,
  type FittedModel,
  fitModel,
  type ModelCell,
  RESIDUAL_PENALTY,
  SLOPE_FLOOR,
  standardiseFeatures,
} from './model.js';

/** A cheap number per directed cell the predictor may learn from: a proxy's matrix, a label statistic, a task's curve. */
export interface CellFeature {
  id: string;
  label: string;
  /** [i][j] oriented like the gain matrix (j's effect on i); NaN where the feature has no value. */
  matrix: number[][];
  /**
   * Its built-in direction, the weight it has before any gain is seen: 1 (the default) for a proxy of affinity, whose
   * larger values are meant to mean more gain; 0 for a feature with no direction of its own (a learning curve).
   */
  prior?: number;
}

/** A directed cell the sweep trained: the relative gain 1 − L_i({i,j}) / L_i({i}) of each seed (its folds averaged). */
export interface TrainedCell {
  i: number;
  j: number;
  gains: number[];
}

/** How one feature relates to the measured gains of the trained cells, and how the fitted model uses it. */
export interface FeatureCheck {
  id: string;
  label: string;
  /** Spearman with the measured gains over the trained cells, with a 95% interval (Fisher z over the trained pairs). */
  spearman: number;
  low: number;
  high: number;
  /** 'anti-correlates': its interval lies below zero on this data; 'reversed': negative but not clearly so. */
  verdict: 'agrees' | 'anti-correlates' | 'reversed' | 'unclear';
  /** Its slope in the fitted model per standard deviation of the feature (negative: used reversed); 0 when constant. */
  weight: number;
}

export interface PredictedGain {
  gain: number;
  /** The conformal interval at the report's `level`: where a measurement on as many seeds would fall. */
  low: number;
  high: number;
  source: 'predicted';
}

/** The predictor's fit, its held-out error and the noise it must beat to stand in for a measurement. */
export interface PredictorReport {
  /** The model in words: what it is made of, how its penalty was chosen, how its error was measured. */
  method: string;
  /**
   * The trained cells' reliability: 1 − (their seed-level noise)² / the variance of their means, in [0, 1] (1/2 when
   * every cell has one seed and the noise is unknown). It sets how far the features' weights leave their priors and how
   * little the tasks' row and column effects are shrunk.
   */
  reliability: number;
  /** The calibrated score's slope (gain per standard deviation of the score). */
  slope: number;
  /**
   * The trained cells show no slope above the floor (a tenth of sd(gains) / sd(score)): the predictions are near the
   * trained mean (plus the tasks' effects), ranked by the features' priors, which the trained cells could not check.
   */
  slopeFloored: boolean;
  trainedPairs: number;
  trainedCells: number;
  folds: number;
  /**
   * Held-out error of the whole procedure (the penalty's choice repeated inside every fold), cross-validated over the
   * trained pairs (a pair's two cells held out together): root mean square against the measured means, and the rank
   * agreement of the held-out predictions with them.
   */
  heldOutRmse: number;
  heldOutSpearman: number;
  /** The lower end of the held-out Spearman's 95% interval (Fisher z over the trained pairs). */
  heldOutSpearmanLow: number;
  /** The measurement noise: root mean square of the trained cells' seed-level standard errors (sd / √seeds). */
  noise: number;
  /** The predictor's own error with the measurement noise taken out of the held-out error: √max(0, rmse² − noise²). */
  error: number;
  /** Its 95% upper bound (bootstrap over the trained pairs). */
  errorHigh: number;
  /** The held-out RMSE of the trained gains' mean (an intercept alone, cross-validated the same way): no information. */
  baselineRmse: number;
  /**
   * A prediction may stand in for a measurement only when even the upper bound of its error is within the noise, it
   * beats the trained gains' mean and it ranks the held-out pairs the right way (the 95% interval of its held-out
   * Spearman above 0, `heldOutSpearmanLow`): where the gains hardly
   * vary beyond their noise, the mean is as close as a measurement, but only a measurement tells the cells apart.
   */
  standsIn: boolean;
  /** Half-width of the prediction intervals (conformal: a quantile of the held-out residuals) and their level. */
  halfWidth: number;
  level: number;
  features: FeatureCheck[];
}

export interface GainPredictor {
  report: PredictorReport;
  /**
   * Every trained cell's held-out prediction (behind `report.heldOutRmse`): the outer fold that held its pair out, and
   * what the model chosen and fitted on the other folds' pairs predicted for it.
   */
  crossValidated: { i: number; j: number; fold: number; measured: number; predicted: number }[];
  /** The predicted gain of directed cell (i, j) with its interval; null on the diagonal. */
  predict: (i: number, j: number) => PredictedGain | null;
}

export interface PredictorOptions {
  /** Folds over the trained pairs of the held-out error (at most one per pair); default 10. */
  folds?: number;
  /** Level of the prediction intervals; default 0.9. */
  level?: number;
  seed?: number;
}

const BOOTSTRAP_DRAWS = 400;

const pairKey = (c: { i: number; j: number }): string => `${Math.min(c.i, c.j)}+${Math.max(c.i, c.j)}`;

/** The 95% interval of a Spearman correlation over n pairs (Fisher z, its standard error 1.06 / √(n − 3)). */
function spearmanInterval(rho: number, n: number): [number, number] {
  const half = 1.96 * (1.06 / Math.sqrt(Math.max(1, n - 3)));
  const fz = Math.atanh(Math.max(-0.999999, Math.min(0.999999, rho)));
  return [Math.tanh(fz - half), Math.tanh(fz + half)];
}

/** Rank agreement that is 0 (not NaN) when either side is constant: a constant ranks nothing. */
const rankAgreement = (a: number[], b: number[]): number => {
  const rho = spearman(a, b);
  return Number.isFinite(rho) ? rho : 0;
};

/**
 * A calibrated gain predictor in the manner of ETAP (Ayman, Mukhopadhyay, Laszka, ICLR 2026) and MTG-Net (NeurIPS
 * 2022), one model (`fitModel`, model.ts): the features, standardised, summed with weights that leave their priors toward their
 * rank agreement with the trained gains only as far as the trained cells are reliable beyond their seed noise, calibrated
 * on the trained cells, plus each task's row and column effect. A feature's sign is learnt, so a proxy that
 * anti-correlates on reliable data is used reversed and named. Its held-out error comes from a cross-validation over the
 * trained pairs (a pair's two cells held out together) that refits everything, the reliability included, on each fold's
 * training pairs only: no held-out pair's gain enters the fit that predicts it. The intervals are conformal: the
 * (1 − α)(n + 1)-th smallest held-out absolute residual.
 */
export function fitGainPredictor(
  taskCount: number,
  trained: readonly TrainedCell[],
  features: readonly CellFeature[],
  options: PredictorOptions = {},
): GainPredictor {
  const level = options.level ?? 0.9;
  const T = taskCount;
  const cells = trained.filter((c) => c.i !== c.j && c.gains.length > 0);
  const y = cells.map((c) => mean(c.gains));
  const pairs = [...new Set(cells.map(pairKey))];
  if (pairs.length < 3) throw new RangeError(`the predictor needs at least 3 trained pairs (${pairs.length} given)`);
  // the measurement noise: each cell's seed-level standard error; a one-seed cell takes the pooled seed variance
  const withSeeds = cells.filter((c) => c.gains.length >= 2);
  const df = withSeeds.reduce((s, c) => s + c.gains.length - 1, 0);
  const pooled = df > 0 ? withSeeds.reduce((s, c) => s + sampleSd(c.gains) ** 2 * (c.gains.length - 1), 0) / df : NaN;
  const se2 = cells.map((c) => (c.gains.length >= 2 ? sampleSd(c.gains) ** 2 : pooled) / c.gains.length);
  const modelCells: ModelCell[] = cells.map((c, r) => ({ i: c.i, j: c.j, y: y[r], se2: se2[r] }));
  const q = standardiseFeatures(
    features.map((f) => f.matrix),
    T,
  );
  const priors = features.map((f) => f.prior ?? 1);
  const pairOfCell = cells.map(pairKey);
  const fitOn = (rows: number[]): FittedModel =>
    fitModel(
      T,
      rows.map((r) => modelCells[r]),
      new Set(rows.map((r) => pairOfCell[r])).size,
      q,
      priors,
    );
  /** Folds over the pairs of `rows` (a pair's two cells held out together). */
  const foldsOf = (rows: number[]): number[][] => {
    const keys = [...new Set(rows.map((r) => pairOfCell[r]))];
    const k = Math.min(options.folds ?? 10, keys.length);
    const order = permutation(keys.length, seededRandom(options.seed ?? 0, 53));
    const foldOfKey = new Map(keys.map((key, n) => [key, order[n] % k]));
    const folds: number[][] = Array.from({ length: k }, () => []);
    for (const r of rows) folds[foldOfKey.get(pairOfCell[r]) as number].push(r);
    return folds;
  };
  const all = cells.map((_, r) => r);
  const outerFolds = foldsOf(all);
  /** Held-out predictions of every trained cell by `predictorOf` trained on the other folds only. */
  const crossValidate = (predictorOf: (train: number[]) => (i: number, j: number) => number): number[] => {
    const predicted = new Array<number>(cells.length).fill(Number.NaN);
    for (const held of outerFolds) {
      const heldSet = new Set(held);
      const predict = predictorOf(all.filter((r) => !heldSet.has(r)));
      for (const r of held) predicted[r] = predict(cells[r].i, cells[r].j);
    }
    return predicted;
  };
  const heldOut = crossValidate((train) => fitOn(train).predict);
  const residuals = all.map((r) => heldOut[r] - y[r]);
  const heldOutRmse = Math.sqrt(mean(residuals.map((e) => e * e)));
  const baseline = crossValidate((train) => {
    const centre = mean(train.map((r) => y[r]));
    return () => centre;
  });
  const baselineRmse = Math.sqrt(mean(all.map((r) => (baseline[r] - y[r]) ** 2)));
  const heldOutSpearman = rankAgreement(
    heldOut,
    all.map((r) => y[r]),
  );
  const noise = Math.sqrt(mean(se2));
  /** √max(0, mean squared residual − mean squared standard error) over cells given as sums. */
  const errorOf = (squares: number, se2s: number, count: number): number =>
    Math.sqrt(Math.max(0, (squares - se2s) / count));
  const error = errorOf(
    residuals.reduce((s, e) => s + e * e, 0),
    se2.reduce((s, v) => s + v, 0),
    cells.length,
  );
  // its upper bound: the pairs resampled with replacement (a pair's two cells together), from per-pair sums
  const pairIndex = new Map(pairs.map((key, p) => [key, p]));
  const [pairSquares, pairSe2, pairCells] = [0, 1, 2].map(() => new Array<number>(pairs.length).fill(0));
  for (const r of all) {
    const p = pairIndex.get(pairOfCell[r]) as number;
    pairSquares[p] += residuals[r] ** 2;
    pairSe2[p] += se2[r];
    pairCells[p]++;
  }
  const random = seededRandom(options.seed ?? 0, 59);
  const draws = Array.from({ length: BOOTSTRAP_DRAWS }, () => {
    let [squares, se2s, count] = [0, 0, 0];
    for (let n = 0; n < pairs.length; n++) {
      const p = Math.floor(random() * pairs.length);
      [squares, se2s, count] = [squares + pairSquares[p], se2s + pairSe2[p], count + pairCells[p]];
    }
    return errorOf(squares, se2s, count);
  }).sort((a, b) => a - b);
  const errorHigh = draws[Math.ceil(0.95 * BOOTSTRAP_DRAWS) - 1];
  const sorted = residuals.map(Math.abs).sort((a, b) => a - b);
  const rank = Math.ceil((sorted.length + 1) * level);
  const halfWidth = rank <= sorted.length ? sorted[rank - 1] : Infinity;

  const final = fitOn(all);
  const n = pairs.length;
  const [heldOutSpearmanLow] = spearmanInterval(heldOutSpearman, n);
  const checks = features.map((f, k): FeatureCheck => {
    const kept = all.filter((r) => Number.isFinite(f.matrix[cells[r].i][cells[r].j]));
    const rho = rankAgreement(
      kept.map((r) => f.matrix[cells[r].i][cells[r].j]),
      kept.map((r) => y[r]),
    );
    const [low, high] = spearmanInterval(rho, n);
    return {
      id: f.id,
      label: f.label,
      spearman: rho,
      low,
      high,
      verdict: high < 0 ? 'anti-correlates' : rho < 0 ? 'reversed' : low > 0 ? 'agrees' : 'unclear',
      weight: final.weights[k],
    };
  });
  const folds = outerFolds.length;
  const report: PredictorReport = {
    method: `relative gain = a + b · Σ_k w_k · z_k + r_i + c_j: the ${features.length} features standardised (z_k), each weighted by its prior (1 for a proxy, 0 for a learning curve) + ${EVIDENCE_WEIGHT} × reliability × √pairs × its Spearman with the trained gains; a, b (b ≥ ${SLOPE_FLOOR} × sd(gains) / sd(score)) and the tasks' row and column effects r, c (ridge, a side's penalty at least ${RESIDUAL_PENALTY} / reliability, more where its tasks' mean residuals vary little beyond the per-cell noise: a moment estimate; none where they do not vary beyond it) fitted on the ${n} trained pairs, whose reliability beyond their seed noise is ${final.reliability.toFixed(2)}; held-out error cross-validated over the trained pairs (${folds} folds), everything refitted inside every fold on its training pairs only; ${Math.round(level * 100)}% intervals conformal from the held-out residuals`,
    reliability: final.reliability,
    slope: final.slope,
    slopeFloored: final.slopeFloored,
    trainedPairs: n,
    trainedCells: cells.length,
    folds,
    heldOutRmse,
    heldOutSpearman,
    heldOutSpearmanLow,
    noise,
    error,
    errorHigh,
    baselineRmse,
    standsIn: Number.isFinite(noise) && errorHigh <= noise && heldOutRmse < baselineRmse && heldOutSpearmanLow > 0,
    halfWidth,
    level,
    features: checks,
  };
  return {
    report,
    crossValidated: outerFolds.flatMap((held, fold) =>
      held.map((r) => ({ i: cells[r].i, j: cells[r].j, fold, measured: y[r], predicted: heldOut[r] })),
    ),
    predict: (i, j) => {
      if (i === j) return null;
      const gain = final.predict(i, j);
      return { gain, low: gain - halfWidth, high: gain + halfWidth, source: 'predicted' };
    },
  };
}
