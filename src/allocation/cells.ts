import { fitGainPredictor, type TrainedCell } from '../affinity/predictor/fit.js';
import { mean, sampleSd } from '../affinity/stats.js';
import type { GroupLoss, LossTable } from '../grouping/lossTable.js';
import { groupKey } from '../sweep/plan.js';

/**
 * Where a cell's number comes from: networks trained in full, short runs only (the early-stopping approximation), or
 * no network at all (the gain predictor, learnt from the measured cells: docs/PREDICTOR.md).
 */
export type CellSource = 'measured' | 'approximated' | 'predicted';

/**
 * One directed cell: d = L_i({i}) − L_i({i, j}) on validation losses, in loss units (positive: training with j helps
 * i). Differences are taken within a seed (both networks share its split, initialisation and batch order), then
 * averaged over the seeds that trained the pair.
 */
export interface CellEstimate {
  difference: number;
  /**
   * Standard error of `difference`: the seed-level measurement noise (moderated, see pooledNoise) for a measured cell,
   * the approximation's error for an approximated one, the predictor's held-out error for a predicted one.
   */
  se: number;
  /** Seeds that trained the pair in full (0 for an approximated or predicted cell). */
  seeds: number;
  /**
   * The seed-level standard deviation of one training's difference (a measured cell's moderated one, an approximated or
   * predicted cell's row noise; NaN while unknown): what a sweep of more seeds would divide by √seeds.
   */
  seedSd: number;
  source: CellSource;
}

/** What the allocation knows about the singles and pairs. */
export interface PairCells {
  taskCount: number;
  /** Mean single-task validation loss per task over the seeds. */
  single: number[];
  /** cells[i][j] (i ≠ j); null where the pair has no number yet. */
  cells: (CellEstimate | null)[][];
  /** Per task, the seed-level standard deviation of one seed's difference in its row: the noise of one training. */
  noise: number[];
}

/** Prior weight, in degrees of freedom, of a row's pooled variance in a cell's moderated variance. */
const PRIOR_DF = 4;

const pairOf = (i: number, j: number): number[] => (i < j ? [i, j] : [j, i]);

/** Per seed, its losses by group key. */
const byKey = (table: LossTable): Map<string, GroupLoss> => new Map(table.entries.map((e) => [groupKey(e.group), e]));

function lossIn(entry: GroupLoss | undefined, task: number): number | undefined {
  const k = entry?.group.indexOf(task) ?? -1;
  return entry && k >= 0 ? entry.loss[k] : undefined;
}

/** Per directed cell, `value(single, pair)` of task i's losses on each seed that trained both the pair and the single. */
function perSeedCells(
  tables: readonly LossTable[],
  taskCount: number,
  value: (single: number, pair: number) => number,
): number[][][] {
  const maps = tables.map(byKey);
  return Array.from({ length: taskCount }, (_, i) =>
    Array.from({ length: taskCount }, (_, j) => {
      if (i === j) return [];
      const values: number[] = [];
      for (const m of maps) {
        const single = lossIn(m.get(String(i)), i);
        const pair = lossIn(m.get(groupKey(pairOf(i, j))), i);
        if (single !== undefined && pair !== undefined) values.push(value(single, pair));
      }
      return values;
    }),
  );
}

/** Per directed cell, the within-seed differences of the seeds that trained both the pair and the single. */
export const seedDifferences = (tables: readonly LossTable[], taskCount: number): number[][][] =>
  perSeedCells(tables, taskCount, (single, pair) => single - pair);

/**
 * The moderated seed-level standard deviation of every cell (an empirical-Bayes shrinkage in the manner of limma's
 * moderated t): a cell's own variance over its seeds, pulled towards the pooled variance of its row with PRIOR_DF
 * degrees of freedom. A row with no cell on two seeds takes `fallbackRowSd` (short runs' noise), else all rows' pool.
 * A cell trained on one seed gets the row's value; NaN when nothing has two seeds yet.
 */
export function pooledNoise(
  differences: number[][][],
  fallbackRowSd?: readonly number[],
): { cellSd: number[][]; rowSd: number[] } {
  const pool = (cells: number[][]): number => {
    let sum = 0;
    let df = 0;
    for (const values of cells)
      if (values.length >= 2) {
        sum += sampleSd(values) ** 2 * (values.length - 1);
        df += values.length - 1;
      }
    return df > 0 ? sum / df : NaN;
  };
  const all = pool(differences.flat());
  const rowVariance = differences.map((row, i) => {
    const own = pool(row);
    const fallback = fallbackRowSd?.[i] ?? NaN;
    return Number.isFinite(own) ? own : Number.isFinite(fallback) ? fallback ** 2 : all;
  });
  const cellSd = differences.map((row, i) =>
    row.map((values) => {
      const df = Math.max(0, values.length - 1);
      const own = df > 0 ? sampleSd(values) ** 2 : 0;
      return Math.sqrt((PRIOR_DF * rowVariance[i] + df * own) / (PRIOR_DF + df));
    }),
  );
  return { cellSd, rowSd: rowVariance.map(Math.sqrt) };
}

/** Per directed cell a pair of seeds trained, the relative gain 1 − L_i({i,j}) / L_i({i}) of each such seed. */
export const seedGains = (tables: readonly LossTable[], taskCount: number): TrainedCell[] =>
  perSeedCells(tables, taskCount, (single, pair) => 1 - pair / single).flatMap((row, i) =>
    row.flatMap((gains, j) => (gains.length ? [{ i, j, gains }] : [])),
  );

/** Mean single loss per task over the seeds that trained it. */
export function singleMeans(tables: readonly LossTable[], taskCount: number): number[] {
  const maps = tables.map(byKey);
  return Array.from({ length: taskCount }, (_, t) => {
    const values = maps.flatMap((m) => {
      const loss = lossIn(m.get(String(t)), t);
      return loss === undefined ? [] : [loss];
    });
    if (values.length === 0) throw new RangeError(`no seed trained the single-task network of task ${t}`);
    return mean(values);
  });
}

/**
 * The cells the full-length networks measured, from per-seed validation tables (seeds may hold only some pairs). A row
 * no pair of which has two seeds yet takes its noise from `fallbackRelativeSd` (per task, relative to its single loss:
 * the short runs' seed-level noise) when given.
 */
export function measuredCells(
  tables: readonly LossTable[],
  taskCount: number,
  fallbackRelativeSd?: readonly number[],
): PairCells {
  const differences = seedDifferences(tables, taskCount);
  const single = singleMeans(tables, taskCount);
  const { cellSd, rowSd } = pooledNoise(
    differences,
    fallbackRelativeSd?.map((sd, t) => sd * single[t]),
  );
  return {
    taskCount,
    single,
    noise: rowSd,
    cells: differences.map((row, i) =>
      row.map((values, j) =>
        i === j || values.length === 0
          ? null
          : {
              difference: mean(values),
              se: cellSd[i][j] / Math.sqrt(values.length),
              seeds: values.length,
              seedSd: cellSd[i][j],
              source: 'measured' as const,
            },
      ),
    ),
  };
}

/** A cell's relative gain 1 − L_i({i,j}) / L_i({i}) from short runs, with its error, before it meets a split's losses. */
export interface GainEstimate {
  gain: number;
  se: number;
}

/** Whether a measured cell also counts its short runs' estimate: both have a finite, non-zero error. */
const combinable = (cell: CellEstimate, e: GainEstimate | null): e is GainEstimate =>
  e !== null && Number.isFinite(cell.se) && cell.se > 0 && Number.isFinite(e.se) && e.se > 0;

/**
 * The cells of `base` with short runs' gain estimates, in `base`'s loss units (the difference is the gain times the
 * task's mean single loss, so one estimate serves the validation and the test split alike): a cell `base` lacks takes
 * the estimate (approximated); with `combine`, a measured cell with a noise estimate becomes the precision-weighted
 * mean of its measurement and the estimate (still measured: full training measured it, the short runs sharpen it).
 * Returns the cells and how many measured ones were combined.
 */
export function fillCells(
  base: PairCells,
  estimate: (i: number, j: number) => GainEstimate | null,
  combine = false,
): { cells: PairCells; combined: number } {
  let combined = 0;
  const cells = base.cells.map((row, i) =>
    row.map((cell, j): CellEstimate | null => {
      if (i === j) return cell;
      const e = estimate(i, j);
      if (!cell)
        return (
          e && {
            difference: e.gain * base.single[i],
            se: e.se * base.single[i],
            seeds: 0,
            seedSd: base.noise[i],
            source: 'approximated',
          }
        );
      if (!combine || !combinable(cell, e)) return cell;
      combined++;
      const [wFull, wShort] = [cell.se ** -2, (e.se * base.single[i]) ** -2];
      return {
        ...cell,
        difference: (wFull * cell.difference + wShort * e.gain * base.single[i]) / (wFull + wShort),
        se: (wFull + wShort) ** -0.5,
      };
    }),
  );
  return { cells: { ...base, cells }, combined };
}

/**
 * Fills the cells `base` still lacks with the gain predictor's (fitGainPredictor, learnt from the per-seed gains of the
 * cells `tables` measured, with the pairs' members as its only features: ETAP's residual model on the task map), each
 * marked predicted, with the predictor's held-out error as its standard error: a prediction never looks more precise than
 * it was measured to be. Unchanged below the predictor's 3 trained pairs.
 */
export function predictCells(base: PairCells, tables: readonly LossTable[]): PairCells {
  if (complete(base)) return base;
  const trained = seedGains(tables, base.taskCount);
  if (new Set(trained.map((c) => groupKey(pairOf(c.i, c.j)))).size < 3) return base;
  const { predict, report } = fitGainPredictor(base.taskCount, trained, []);
  return {
    ...base,
    cells: base.cells.map((row, i) =>
      row.map((cell, j) => {
        const p = i === j || cell ? null : predict(i, j);
        return p
          ? {
              difference: p.gain * base.single[i],
              se: report.heldOutRmse * base.single[i],
              seeds: 0,
              seedSd: base.noise[i],
              source: 'predicted',
            }
          : cell;
      }),
    ),
  };
}

/** Every directed cell has a number: what selection needs. */
export const complete = (cells: PairCells): boolean =>
  cells.cells.every((row, i) => row.every((cell, j) => i === j || cell !== null));

/** The validation loss table the cells imply: singles at their means, L_i({i, j}) = single_i − d_ij. */
export function meanTable(
  cells: PairCells,
  taskNames: string[],
  perturb?: (i: number, j: number) => number,
): LossTable {
  const T = cells.taskCount;
  const entries: GroupLoss[] = cells.single.map((loss, t) => ({ group: [t], loss: [loss] }));
  const pairLoss = (i: number, j: number): number => {
    const cell = cells.cells[i][j];
    if (!cell) throw new RangeError(`cell (${taskNames[i]}, ${taskNames[j]}) has no number`);
    return cells.single[i] - cell.difference - (perturb?.(i, j) ?? 0);
  };
  for (let i = 0; i < T; i++)
    for (let j = i + 1; j < T; j++) entries.push({ group: [i, j], loss: [pairLoss(i, j), pairLoss(j, i)] });
  return { taskNames, entries };
}

/**
 * Per-seed tables with every single and pair: a seed's measured networks as they are (shifted by the same amount on
 * every seed where short runs sharpened the cell); a pair the seed did not train gets, per task, the seed's own single
 * loss minus the cell's difference (measured on other seeds, or approximated). The mean over seeds of these tables is
 * the paired estimate (the mean single minus the cell's difference),
 * so every later step (budget curve, nested budget choice, bootstrap) reads them unchanged; intervals over seeds count
 * a cell's noise only from the seeds that trained it. Larger groups a seed trained are kept.
 */
export function completeSeedTables(tables: readonly LossTable[], cells: PairCells): LossTable[] {
  const T = cells.taskCount;
  // a measured cell combined with its short runs (fillCells) moves every seed's pair loss by the same amount: the
  // seeds' mean difference becomes the cell's, their spread stays the seeds' own
  const measuredMean = seedDifferences(tables, T).map((row) => row.map((values) => (values.length ? mean(values) : 0)));
  const shift = (i: number, j: number): number => {
    const cell = cells.cells[i][j];
    return cell?.source === 'measured' ? cell.difference - measuredMean[i][j] : 0;
  };
  return tables.map((table) => {
    const own = byKey(table);
    const singleOf = (t: number): number => lossIn(own.get(String(t)), t) ?? cells.single[t];
    const entries: GroupLoss[] = Array.from({ length: T }, (_, t) => ({ group: [t], loss: [singleOf(t)] }));
    for (let i = 0; i < T; i++)
      for (let j = i + 1; j < T; j++) {
        const measured = own.get(groupKey([i, j]));
        if (measured)
          entries.push({ group: [i, j], loss: [measured.loss[0] - shift(i, j), measured.loss[1] - shift(j, i)] });
        else {
          const [a, b] = [cells.cells[i][j], cells.cells[j][i]];
          if (!a || !b) throw new RangeError(`pair ${i}+${j} has no number to complete seed tables with`);
          entries.push({ group: [i, j], loss: [singleOf(i) - a.difference, singleOf(j) - b.difference] });
        }
      }
    for (const entry of table.entries) if (entry.group.length > 2) entries.push(entry);
    return { taskNames: table.taskNames, entries };
  });
}
