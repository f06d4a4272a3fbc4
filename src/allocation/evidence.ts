import { mean, spearman } from '../affinity/stats.js';
import type { SplitScheme } from '../data/split.js';
import { epochsTrained, type EngineSettings } from '../engine/settings.js';
import type { LossTable } from '../grouping/lossTable.js';
import { seedLossTables } from '../grouping/replicated.js';
import { testLossOf, validationLossOf, type NetworkRecord } from '../sweep/journal.js';
import { groupKey, replicationsOf } from '../sweep/plan.js';
import {
  completeSeedTables,
  fillCells,
  measuredCells,
  predictCells,
  type GainEstimate,
  type PairCells,
} from './cells.js';

/** Networks of one training length, per seed: the seeds that trained every single, their validation and test tables. */
export interface SeedEvidence {
  /** Seeds (numbers) whose single-task networks are all trained, ascending. */
  seeds: number[];
  /** Replication keys of those seeds (one per seed, or one per fold). */
  replications: string[];
  validation: LossTable[];
  test: LossTable[];
  /** Per seed (same order), the group keys trained in every one of its replications. */
  trained: Set<string>[];
}

/** What the allocation knows: full-length networks, short runs (if any), and what they cost. */
export interface AllocationEvidence {
  taskNames: string[];
  full: SeedEvidence;
  short?: SeedEvidence & { epochs: number };
  /** Network-epochs trained so far (with patience, a network trains until `patience` epochs after its best). */
  networkEpochs: number;
}

/** The seeds of `records` with every single trained in every replication, and their per-seed tables. */
export function seedEvidence(records: Iterable<NetworkRecord>, taskNames: string[], split: SplitScheme): SeedEvidence {
  const all = [...records].filter((r) => r.group.every((t) => t < taskNames.length));
  const candidates = [...new Set(all.map((r) => r.seed))].sort((a, b) => a - b);
  const ids = new Set(all.map((r) => r.id));
  const trainedIn = (seed: number, key: string): boolean =>
    replicationsOf(split, [seed]).every((r) => ids.has(`${r.key}/${key}`));
  const seeds = candidates.filter((seed) => taskNames.every((_, t) => trainedIn(seed, String(t))));
  const replications = replicationsOf(split, seeds).map((r) => r.key);
  const validation = seedLossTables(all, taskNames, replications, validationLossOf);
  return {
    seeds,
    replications,
    validation,
    test: seedLossTables(all, taskNames, replications, testLossOf),
    trained: validation.map((table) => new Set(table.entries.map((e) => groupKey(e.group)))),
  };
}

/** Network-epochs of the records under `engine` (its epochs and patience). */
export const networkEpochsOf = (
  records: Iterable<NetworkRecord>,
  engine: Pick<EngineSettings, 'epochs' | 'patience'>,
): number => [...records].reduce((sum, r) => sum + epochsTrained(engine, r.bestEpoch), 0);

/** How the short runs' gains compare with full training on the pairs trained both ways, and how they are calibrated. */
export interface ShortRunAgreement {
  epochs: number;
  /** Directed cells trained both ways (short and full, on at least one common seed). */
  cells: number;
  /** Rank agreement of the short runs' gains with the full-length gains over those cells (NaN below 3 cells). */
  spearman: number;
  /**
   * The calibration of a short-run gain g to a full-length one, a + b·g, fitted on those cells (least squares; the
   * identity before MIN_BOTH_WAYS of them): short runs see effects that grow or shrink with training at another scale.
   */
  intercept: number;
  slope: number;
  /**
   * Root-mean-square difference between the calibrated short-run gains and the full-length ones over those cells (the
   * full-length seeds' own noise included): the approximation's error.
   */
  error: number;
  /** Measured cells whose short runs also counted (precision-weighted with the full-length seeds). */
  combined: number;
}

/** Fewest cells trained both ways before the calibration and its error are taken from them instead of assumed. */
const MIN_BOTH_WAYS = 6;

/** A cell's gain measured both ways, relative to its single loss. */
interface BothWays {
  full: number;
  short: number;
}

/** A line from short-run gains to full-length gains, and the error of a gain it predicts (per short-run gain). */
interface Calibration {
  intercept: number;
  slope: number;
  /** Root-mean-square residual of the fitted cells (with the line's two degrees of freedom). */
  error: number;
  /** The error of the calibrated gain of a cell with this short-run gain (the line's own uncertainty included). */
  errorAt: (short: number) => number;
}

/**
 * The least-squares line from short-run gains to full-length gains over the cells trained both ways (slope at least 0:
 * short runs that rank the pairs backwards carry no information, only their mean). Its error is the residuals' as they
 * are, full-length seeds' noise included: subtracting that noise from a few cells' residuals often left nothing, and an
 * approximation with no error stopped the allocation on short runs that did not rank the pairs (emotions).
 */
function calibrate(both: BothWays[]): Calibration {
  const xs = both.map((c) => c.short);
  const ys = both.map((c) => c.full);
  const [mx, my] = [mean(xs), mean(ys)];
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const sxy = xs.reduce((a, x, k) => a + (x - mx) * (ys[k] - my), 0);
  const slope = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
  const intercept = my - slope * mx;
  const n = both.length;
  const error = Math.sqrt(ys.reduce((a, y, k) => a + (y - intercept - slope * xs[k]) ** 2, 0) / Math.max(1, n - 2));
  const leverage = (x: number): number => 1 / n + (sxx > 0 ? (x - mx) ** 2 / sxx : 0);
  return { intercept, slope, error, errorAt: (x) => error * Math.sqrt(1 + leverage(x)) };
}

/**
 * The early-stopping approximation as cells. Short runs' gains are calibrated to full training on the cells trained
 * both ways (calibrate); a cell that only short runs measured gets its calibrated gain, with an error of their noise
 * plus the calibration's error (before there are MIN_BOTH_WAYS such cells: the uncalibrated gain with the typical size
 * of a short-run gain as its error, so that an unchecked approximation never looks precise). A measured cell with a
 * noise estimate is the precision-weighted mean of its full-length seeds and its calibrated short runs: where the short
 * runs disagree with full training, their error is large and they weigh little.
 */
export function approximatedCells(
  full: PairCells,
  short: PairCells,
  epochs: number,
): { cells: PairCells; agreement: ShortRunAgreement } {
  const both: BothWays[] = [];
  const shortGains: number[] = [];
  for (let i = 0; i < full.taskCount; i++)
    for (let j = 0; j < full.taskCount; j++) {
      const s = short.cells[i][j];
      if (i === j || !s) continue;
      shortGains.push(Math.abs(s.difference / short.single[i]));
      const f = full.cells[i][j];
      if (f)
        both.push({
          full: f.difference / full.single[i],
          short: s.difference / short.single[i],
        });
    }
  const typical = [...shortGains].sort((a, b) => a - b)[Math.floor(shortGains.length / 2)] ?? 0;
  const checked = both.length >= MIN_BOTH_WAYS;
  const { intercept, slope, error, errorAt }: Calibration = checked
    ? calibrate(both)
    : { intercept: 0, slope: 1, error: typical, errorAt: () => typical };
  const estimate = (i: number, j: number): GainEstimate | null => {
    const s = short.cells[i][j];
    if (!s) return null;
    const gain = s.difference / short.single[i];
    const se = s.se / short.single[i];
    return {
      gain: intercept + slope * gain,
      se: Math.hypot(slope * (Number.isFinite(se) ? se : error), errorAt(gain)),
    };
  };
  // before the calibration is checked, short runs only fill the cells full training has not measured
  const { cells, combined } = fillCells(full, estimate, checked);
  return {
    cells,
    agreement: {
      epochs,
      cells: both.length,
      spearman:
        both.length >= 3
          ? spearman(
              both.map((c) => c.short),
              both.map((c) => c.full),
            )
          : NaN,
      intercept,
      slope,
      error: checked ? error : NaN,
      combined,
    },
  };
}

/**
 * The cells of the evidence on one split's losses (validation for choosing, test for scoring): measured by full-length
 * networks, the rest from short runs where there are any, and what neither trained predicted from the measured cells.
 */
export function evidenceCells(
  evidence: AllocationEvidence,
  split: 'validation' | 'test' = 'validation',
): { cells: PairCells; shortRuns?: ShortRunAgreement } {
  const T = evidence.taskNames.length;
  const tables = evidence.full[split];
  if (!evidence.short || evidence.short.seeds.length === 0)
    return { cells: predictCells(measuredCells(tables, T), tables) };
  const short = measuredCells(evidence.short[split], T);
  // before two seeds trained a pair of a row in full, the row's noise is the short runs' (relative to the single loss)
  const full = measuredCells(
    tables,
    T,
    short.noise.map((sd, t) => sd / short.single[t]),
  );
  const { cells, agreement } = approximatedCells(full, short, evidence.short.epochs);
  return { cells: predictCells(cells, tables), shortRuns: agreement };
}

/**
 * The per-seed validation and test tables of the full-length seeds, every pair completed from the cells
 * (completeSeedTables); `validationCells`: the evidence's validation cells when the caller has them already (each
 * evidenceCells call may fit the gain predictor).
 */
export function completedTables(
  evidence: AllocationEvidence,
  validationCells: PairCells = evidenceCells(evidence, 'validation').cells,
): { validation: LossTable[]; test: LossTable[] } {
  return {
    validation: completeSeedTables(evidence.full.validation, validationCells),
    test: completeSeedTables(evidence.full.test, evidenceCells(evidence, 'test').cells),
  };
}
