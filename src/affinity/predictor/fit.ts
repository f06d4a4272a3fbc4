import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { permutation, seededRandom } from '../../data/random.js';
import { mean, sampleSd, spearman } from '../stats.js';

/** A cheap number per directed cell the predictor may learn from: a proxy's matrix, a label statistic, a task's curve. */
export interface CellFeature {
  id: string;
  label: string;
  /** [i][j] oriented like the gain matrix (j's effect on i); NaN where the feature has no value. */
  matrix: number[][];
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
  /** Its slope per standard deviation in the fitted model (negative: used reversed); 0 when it has no value. */
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
  /** The candidate model the cross-validation chose on all trained pairs (`CandidateScore.id`) and its words. */
  model: string;
  modelLabel: string;
  /**
   * Every candidate's cross-validated RMSE over all trained pairs (the choice the final model rests on); the held-out
   * error below repeats that choice inside every outer fold, on the fold's training pairs only.
   */
  candidates: CandidateScore[];
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
   * beats the trained gains' mean and it ranks the held-out pairs the right way (Spearman > 0): where the gains hardly
   * vary beyond their noise, the mean is as close as a measurement, but only a measurement tells the cells apart.
   */
  standsIn: boolean;
  /** Half-width of the prediction intervals (conformal: a quantile of the held-out residuals) and their level. */
  halfWidth: number;
  level: number;
  features: FeatureCheck[];
}

/** One candidate model of the nested selection and its cross-validated error over the trained pairs. */
export interface CandidateScore {
  id: string;
  label: string;
  rmse: number;
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
  /** Folds over the trained pairs (at most one per pair); default 10. */
  folds?: number;
  /** Level of the prediction intervals; default 0.9. */
  level?: number;
  seed?: number;
}

/** Ridge penalty of the tasks' row and column effects (the residual correction), per effect. */
const RESIDUAL_PENALTY = 4;
/** A light penalty on a calibration's slope: keeps a fit on few cells finite. */
const SLOPE_PENALTY = 1;
/** The penalty of the ridge on every feature, per standardised feature. */
const RIDGE_PENALTY = 4;
const BOOTSTRAP_DRAWS = 400;

const pairKey = (c: { i: number; j: number }): string => `${Math.min(c.i, c.j)}+${Math.max(c.i, c.j)}`;

/** Ridge regression with per-column penalties: (XᵀX + diag(penalty))⁻¹ Xᵀy. */
function ridge(rows: number[][], y: number[], penalty: number[]): number[] {
  const p = penalty.length;
  const A = Matrix.zeros(p, p);
  const b = Matrix.zeros(p, 1);
  rows.forEach((x, r) => {
    for (let a = 0; a < p; a++) {
      if (x[a] === 0) continue;
      b.set(a, 0, b.get(a, 0) + x[a] * y[r]);
      for (let c = 0; c < p; c++) if (x[c] !== 0) A.set(a, c, A.get(a, c) + x[a] * x[c]);
    }
  });
  // a tiny ridge on the intercept keeps the system positive definite
  for (let a = 0; a < p; a++) A.set(a, a, A.get(a, a) + Math.max(penalty[a], 1e-9));
  return new CholeskyDecomposition(A).solve(b).getColumn(0);
}

const dot = (w: number[], x: number[]): number => x.reduce((s, v, k) => s + v * w[k], 0);

/** Rank agreement that is 0 (not NaN) when either side is constant: a constant ranks nothing. */
const rankAgreement = (a: number[], b: number[]): number => {
  const rho = spearman(a, b);
  return Number.isFinite(rho) ? rho : 0;
};

/** A candidate fitted on some trained cells: its prediction of any directed cell and its slope per feature. */
interface Fitted {
  predict: (i: number, j: number) => number;
  /** Per feature, its slope per standard deviation (0 when the candidate leaves it out). */
  weights: number[];
}

interface Candidate {
  id: string;
  label: string;
  /** Fits the candidate on the trained cells `rows` (indices into the cells), reading no other cell's gain. */
  fit: (rows: number[]) => Fitted;
}

/**
 * The candidate models, as ETAP and MTG-Net compare them: the trained gains' mean; each feature alone, linearly
 * calibrated (a + b·z_k); the same plus a learnt residual correction by the pair's members (a row and a column effect
 * per task, ridge-shrunk: ETAP's residual on the task map); the combination of every feature weighted by its rank
 * agreement with the trained gains (its sign learnt), with and without the residual; the ridge on every feature.
 */
function candidateModels(
  T: number,
  cells: readonly TrainedCell[],
  y: readonly number[],
  features: readonly CellFeature[],
  z: number[][][],
): Candidate[] {
  const F = features.length;
  /** A linear model: the intercept, `columns` (with their penalties and their slopes' share per feature), the residual. */
  const linear =
    (
      columnsOf: (rows: number[]) => {
        values: (i: number, j: number) => number[];
        penalty: number[];
        /** perFeature[c][k]: how much of column c's slope is feature k's */
        perFeature: number[][];
      },
      residual: boolean,
    ) =>
    (rows: number[]): Fitted => {
      const columns = columnsOf(rows);
      const x = (i: number, j: number): number[] => {
        const row = [1, ...columns.values(i, j)];
        if (residual) for (let t = 0; t < 2 * T; t++) row.push(t === i || t === T + j ? 1 : 0);
        return row;
      };
      const penalty = [0, ...columns.penalty, ...(residual ? new Array<number>(2 * T).fill(RESIDUAL_PENALTY) : [])];
      const w = ridge(
        rows.map((r) => x(cells[r].i, cells[r].j)),
        rows.map((r) => y[r]),
        penalty,
      );
      return {
        predict: (i, j) => dot(w, x(i, j)),
        weights: features.map((_, k) => columns.perFeature.reduce((sum, share, c) => sum + w[1 + c] * share[k], 0)),
      };
    };
  const none = () => ({ values: () => [], penalty: [], perFeature: [] });
  const single = (k: number) => () => ({
    values: (i: number, j: number) => [z[k][i][j]],
    penalty: [SLOPE_PENALTY],
    perFeature: [features.map((_, m) => (m === k ? 1 : 0))],
  });
  const combination = (rows: number[]) => {
    const rho = features.map((_, k) =>
      rankAgreement(
        rows.map((r) => z[k][cells[r].i][cells[r].j]),
        rows.map((r) => y[r]),
      ),
    );
    return {
      values: (i: number, j: number) => [rho.reduce((sum, w, k) => sum + w * z[k][i][j], 0)],
      penalty: [SLOPE_PENALTY],
      perFeature: [rho],
    };
  };
  const all = () => ({
    values: (i: number, j: number) => z.map((zk) => zk[i][j]),
    penalty: new Array<number>(F).fill(RIDGE_PENALTY),
    perFeature: features.map((_, c) => features.map((_, k) => (k === c ? 1 : 0))),
  });
  // a feature that is constant over the cells calibrates to the mean: it is no candidate of its own
  const varying = features.flatMap((_, k) => (z[k].some((row) => row.some((v) => v !== 0)) ? [k] : []));
  const residualWords = ' + a row and a column effect per task (the residual correction, ridge-shrunk)';
  return [
    { id: 'mean', label: "the trained gains' mean", fit: linear(none, false) },
    { id: 'mean+residual', label: `the trained gains' mean${residualWords}`, fit: linear(none, true) },
    ...varying.flatMap((k) => [
      { id: features[k].id, label: `${features[k].label}, linearly calibrated`, fit: linear(single(k), false) },
      {
        id: `${features[k].id}+residual`,
        label: `${features[k].label}, linearly calibrated${residualWords}`,
        fit: linear(single(k), true),
      },
    ]),
    ...(varying.length > 1
      ? [
          {
            id: 'combination',
            label: `the ${F} features, each weighted by its rank agreement with the trained gains, calibrated`,
            fit: linear(combination, false),
          },
          {
            id: 'combination+residual',
            label: `the ${F} features, each weighted by its rank agreement with the trained gains, calibrated${residualWords}`,
            fit: linear(combination, true),
          },
          { id: 'ridge', label: `a ridge regression on the ${F} features`, fit: linear(all, false) },
        ]
      : []),
  ];
}

/**
 * A calibrated gain predictor in the manner of ETAP (Ayman, Mukhopadhyay, Laszka, ICLR 2026) and MTG-Net (NeurIPS
 * 2022): it chooses, by cross-validated squared error over the trained pairs, among candidate models (the trained
 * gains' mean, each cheap feature linearly calibrated with and without a learnt residual correction by the pair's
 * members, the rank-weighted combination of every feature, the ridge on every feature; `candidateModels`), and measures
 * its own error by an outer cross-validation in which that choice is repeated on each fold's training pairs only
 * (nested: no held-out pair's gain enters the choice or the fit that predicts it). A feature's sign is learnt, so a
 * proxy that anti-correlates on this data is used reversed and named. The intervals are conformal: the
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
  // features standardised over every off-diagonal cell (known for untrained cells too, so no held-out gain leaks)
  const z = features.map((f) => {
    const values = f.matrix.flatMap((row, i) => row.filter((v, j) => i !== j && Number.isFinite(v)));
    const centre = values.length ? mean(values) : 0;
    const sd = sampleSd(values) > 0 ? sampleSd(values) : 1;
    return f.matrix.map((row) => row.map((v) => (Number.isFinite(v) ? (v - centre) / sd : 0)));
  });
  const candidates = candidateModels(T, cells, y, features, z);
  /** Folds over the pairs of `rows` (a pair's two cells held out together), the same for every candidate. */
  const foldsOf = (rows: number[]): number[][] => {
    const keys = [...new Set(rows.map((r) => pairKey(cells[r])))];
    const k = Math.min(options.folds ?? 10, keys.length);
    const order = permutation(keys.length, seededRandom(options.seed ?? 0, 53));
    const foldOfKey = new Map(keys.map((key, n) => [key, order[n] % k]));
    return Array.from({ length: k }, (_, f) => rows.filter((r) => foldOfKey.get(pairKey(cells[r])) === f));
  };
  /** Held-out predictions of `rows` by `procedure` trained on the other folds of `rows` only. */
  const crossValidate = (rows: number[], procedure: (train: number[]) => Fitted): Map<number, number> => {
    const predicted = new Map<number, number>();
    for (const held of foldsOf(rows)) {
      const heldSet = new Set(held);
      const { predict } = procedure(rows.filter((r) => !heldSet.has(r)));
      for (const r of held) predicted.set(r, predict(cells[r].i, cells[r].j));
    }
    return predicted;
  };
  /** Each candidate's cross-validated RMSE over `rows` (their gains only) and the smallest (the simplest on a tie). */
  const choose = (rows: number[]): { chosen: Candidate; scores: CandidateScore[] } => {
    if (new Set(rows.map((r) => pairKey(cells[r]))).size < 2)
      return { chosen: candidates[0], scores: candidates.map((c) => ({ id: c.id, label: c.label, rmse: NaN })) };
    const scores = candidates.map((c) => {
      const predicted = crossValidate(rows, c.fit);
      return { id: c.id, label: c.label, rmse: Math.sqrt(mean([...predicted].map(([r, p]) => (p - y[r]) ** 2))) };
    });
    let best = 0;
    scores.forEach((s, k) => {
      if (s.rmse < scores[best].rmse - 1e-15) best = k;
    });
    return { chosen: candidates[best], scores };
  };
  const all = cells.map((_, r) => r);
  const heldOut = crossValidate(all, (train) => choose(train).chosen.fit(train));
  const residuals = all.map((r) => (heldOut.get(r) as number) - y[r]);
  const heldOutRmse = Math.sqrt(mean(residuals.map((e) => e * e)));
  const baseline = crossValidate(all, candidates[0].fit);
  const baselineRmse = Math.sqrt(mean(all.map((r) => ((baseline.get(r) as number) - y[r]) ** 2)));
  const heldOutSpearman = rankAgreement(
    all.map((r) => heldOut.get(r) as number),
    all.map((r) => y[r]),
  );
  // the measurement noise: each cell's seed-level standard error; a one-seed cell takes the pooled seed variance
  const withSeeds = cells.filter((c) => c.gains.length >= 2);
  const df = withSeeds.reduce((s, c) => s + c.gains.length - 1, 0);
  const pooled = df > 0 ? withSeeds.reduce((s, c) => s + sampleSd(c.gains) ** 2 * (c.gains.length - 1), 0) / df : NaN;
  const se2 = cells.map((c) => (c.gains.length >= 2 ? sampleSd(c.gains) ** 2 : pooled) / c.gains.length);
  const noise = Math.sqrt(mean(se2));
  const errorOf = (rows: number[]): number =>
    Math.sqrt(Math.max(0, mean(rows.map((r) => residuals[r] ** 2)) - mean(rows.map((r) => se2[r]))));
  const error = errorOf(all);
  // its upper bound: the pairs resampled with replacement (a pair's two cells together)
  const cellsOfPair = pairs.map((key) => all.filter((r) => pairKey(cells[r]) === key));
  const random = seededRandom(options.seed ?? 0, 59);
  const draws = Array.from({ length: BOOTSTRAP_DRAWS }, () =>
    errorOf(pairs.flatMap(() => cellsOfPair[Math.floor(random() * pairs.length)])),
  ).sort((a, b) => a - b);
  const errorHigh = draws[Math.ceil(0.95 * BOOTSTRAP_DRAWS) - 1];
  const sorted = residuals.map(Math.abs).sort((a, b) => a - b);
  const rank = Math.ceil((sorted.length + 1) * level);
  const halfWidth = rank <= sorted.length ? sorted[rank - 1] : Infinity;

  const { chosen, scores } = choose(all);
  const final = chosen.fit(all);
  const n = pairs.length;
  const checks = features.map((f, k): FeatureCheck => {
    const kept = all.filter((r) => Number.isFinite(f.matrix[cells[r].i][cells[r].j]));
    const rho = rankAgreement(
      kept.map((r) => f.matrix[cells[r].i][cells[r].j]),
      kept.map((r) => y[r]),
    );
    const half = 1.96 * (1.06 / Math.sqrt(Math.max(1, n - 3)));
    const fz = Math.atanh(Math.max(-0.999999, Math.min(0.999999, rho)));
    const [low, high] = [Math.tanh(fz - half), Math.tanh(fz + half)];
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
  const outerFolds = foldsOf(all);
  const folds = outerFolds.length;
  const report: PredictorReport = {
    method: `relative gain = ${chosen.label}: the smallest cross-validated squared error among ${candidates.length} candidate models (the mean, each feature calibrated alone and with a residual correction by the pair's members, their combination, a ridge on all) over the ${n} trained pairs (${folds} folds); the held-out error repeats that choice inside every fold of an outer cross-validation, on its training pairs only; ${Math.round(level * 100)}% intervals conformal from the held-out residuals`,
    model: chosen.id,
    modelLabel: chosen.label,
    candidates: scores,
    trainedPairs: n,
    trainedCells: cells.length,
    folds,
    heldOutRmse,
    heldOutSpearman,
    noise,
    error,
    errorHigh,
    baselineRmse,
    standsIn: Number.isFinite(noise) && errorHigh <= noise && heldOutRmse < baselineRmse && heldOutSpearman > 0,
    halfWidth,
    level,
    features: checks,
  };
  return {
    report,
    crossValidated: outerFolds.flatMap((held, fold) =>
      held.map((r) => ({ i: cells[r].i, j: cells[r].j, fold, measured: y[r], predicted: heldOut.get(r) as number })),
    ),
    predict: (i, j) => {
      if (i === j) return null;
      const gain = final.predict(i, j);
      return { gain, low: gain - halfWidth, high: gain + halfWidth, source: 'predicted' };
    },
  };
}
