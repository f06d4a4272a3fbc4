import { quantile } from 'd3-array';
import {
  categories,
  entropyBits,
  excessKurtosis,
  kendall,
  mean,
  mutualInformationBits,
  pearson,
  spearman,
} from '../affinity/stats.js';
import type { Random } from '../data/random.js';
import type { EpochLosses } from '../engine/train.js';

/**
 * A cheap signal that might predict which auxiliary helps, and the direction the literature expects: +1 when larger
 * values should mean larger gains.
 */
export interface HeuristicDefinition {
  key: HeuristicKey;
  label: string;
  source: string;
  expected: 1 | -1;
}

export type HeuristicKey =
  | 'entropy'
  | 'kurtosis'
  | 'correlation'
  | 'mutualInformation'
  | 'auxSlope'
  | 'auxPlateau'
  | 'mainPlateau'
  | 'plateauGap';

export const HEURISTICS: HeuristicDefinition[] = [
  {
    key: 'entropy',
    label: 'label entropy (bits)',
    source: 'Alonso and Plank 2017: uniform auxiliary label distributions help',
    expected: 1,
  },
  {
    key: 'kurtosis',
    label: 'label excess kurtosis',
    source: 'Alonso and Plank 2017: compact (low-kurtosis) distributions help',
    expected: -1,
  },
  {
    key: 'correlation',
    label: '|Pearson r| with the main label',
    source: 'relatedness: a correlated target shares features',
    expected: 1,
  },
  {
    key: 'mutualInformation',
    label: 'mutual information with the main label (bits)',
    source: 'relatedness, non-linear',
    expected: 1,
  },
  {
    key: 'auxSlope',
    label: 'auxiliary curve slope at 50% of training',
    source: 'Bingel and Sogaard 2017: auxiliaries still improving (negative slope) help',
    expected: -1,
  },
  {
    key: 'auxPlateau',
    label: 'auxiliary plateau point (share of epochs)',
    source: 'Bingel and Sogaard 2017: auxiliaries that plateau late help',
    expected: 1,
  },
  {
    key: 'mainPlateau',
    label: 'main plateau point (share of epochs)',
    source: 'Bingel and Sogaard 2017: main tasks that plateau early gain',
    expected: -1,
  },
  {
    key: 'plateauGap',
    label: 'auxiliary minus main plateau point',
    source: 'Bingel and Sogaard 2017: early main plateau with a late auxiliary one',
    expected: 1,
  },
];

export type HeuristicValues = Record<HeuristicKey, number>;

/**
 * Label-distribution heuristics of one candidate on one replication's training rows (a many-column candidate: the mean
 * over its columns). Entropy over the column's values when it has at most 10 distinct ones, else over 10 equal-width
 * bins; mutual information with both columns cut into 10 equal-frequency bins when continuous.
 */
export function labelHeuristics(
  columns: number[][],
  mainLabel: number[],
): Pick<HeuristicValues, 'entropy' | 'kurtosis' | 'correlation' | 'mutualInformation'> {
  const mainCategories = categories(mainLabel, 10, 'quantile');
  const over = (f: (column: number[]) => number): number => mean(columns.map(f));
  return {
    entropy: over((c) => entropyBits(categories(c))),
    kurtosis: over(excessKurtosis),
    correlation: over((c) => Math.abs(pearson(c, mainLabel))),
    mutualInformation: over((c) => mutualInformationBits(categories(c, 10, 'quantile'), mainCategories)),
  };
}

/** Share of the epochs after which the curve stays within this share of its total drop from its final value. */
const PLATEAU_TOLERANCE = 0.05;

/**
 * Learning-curve features of a single-task network (Bingel and Sogaard 2017) from the journal's per-epoch losses: the
 * validation objective of the network selected after each epoch (its weighted total), normalised by the first epoch's.
 * `weights`: per task of the network; the curve is sum_k weight_k loss_k.
 */
export function curveFeatures(
  byEpoch: readonly EpochLosses[],
  weights: readonly number[],
): { slope: number; plateau: number } {
  const curve = byEpoch.map((e) => e.validation.reduce((s, loss, k) => s + weights[k] * loss, 0));
  const E = curve.length;
  const first = curve[0];
  const last = curve[E - 1];
  const at = Math.min(E - 2, Math.max(0, Math.round(0.5 * E) - 1));
  const slope = E >= 2 && first > 0 ? (curve[at + 1] - curve[at]) / first : NaN;
  const drop = first - last;
  const plateauEpoch = drop > 0 ? curve.findIndex((c) => c - last <= PLATEAU_TOLERANCE * drop) + 1 : 1;
  return { slope, plateau: plateauEpoch / E };
}

export interface RankAgreement {
  key: HeuristicKey;
  label: string;
  source: string;
  expected: 1 | -1;
  spearman: number;
  kendall: number;
  /** Percentile bootstrap interval of Spearman's rho over candidates resampled with replacement. */
  spearmanLow: number;
  spearmanHigh: number;
  /** The candidate the heuristic ranks first in its expected direction, and that candidate's place in the measured ranking (1: best). */
  pick: number;
  pickRank: number;
  /** Candidates with a finite value of the heuristic. */
  candidates: number;
}

/**
 * How well each heuristic's ranking of the candidates agrees with their measured mean gains: Spearman and Kendall
 * over the candidates, and a bootstrap interval over candidates (a resample with one distinct value is skipped).
 */
export function rankAgreement(
  values: HeuristicValues[],
  gains: number[],
  random: Random,
  draws = 1000,
  level: number,
): RankAgreement[] {
  return HEURISTICS.map(({ key, label, source, expected }) => {
    const points = values
      .map((v, c) => ({ c, x: v[key], y: gains[c] }))
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    const rho = (ps: typeof points): number =>
      spearman(
        ps.map((p) => p.x),
        ps.map((p) => p.y),
      );
    const resampled: number[] = [];
    for (let d = 0; d < draws && points.length >= 3; d++) {
      const sample = points.map(() => points[Math.floor(random() * points.length)]);
      const r = rho(sample);
      if (Number.isFinite(r)) resampled.push(r);
    }
    const sortedGains = points.map((p) => p.y).sort((a, b) => b - a);
    const best = points.reduce<(typeof points)[number] | undefined>(
      (b, p) => (b === undefined || expected * p.x > expected * b.x ? p : b),
      undefined,
    );
    const tail = (1 - level) / 2;
    return {
      key,
      label,
      source,
      expected,
      spearman: points.length >= 2 ? rho(points) : NaN,
      kendall:
        points.length >= 2
          ? kendall(
              points.map((p) => p.x),
              points.map((p) => p.y),
            )
          : NaN,
      spearmanLow: resampled.length ? (quantile(resampled, tail) as number) : NaN,
      spearmanHigh: resampled.length ? (quantile(resampled, 1 - tail) as number) : NaN,
      pick: best?.c ?? -1,
      pickRank: best ? sortedGains.indexOf(best.y) + 1 : NaN,
      candidates: points.length,
    };
  });
}
