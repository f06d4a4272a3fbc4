import { spearman } from '../affinity/stats.js';
import type { SplitScheme } from '../data/split.js';
import { epochsTrained, type EngineSettings } from '../engine/settings.js';
import type { LossTable } from '../grouping/lossTable.js';
import { seedLossTables } from '../grouping/replicated.js';
import { testLossOf, validationLossOf, type NetworkRecord } from '../sweep/journal.js';
import { groupKey, replicationsOf } from '../sweep/plan.js';
import { completeSeedTables, fillCells, measuredCells, type GainEstimate, type PairCells } from './cells.js';

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

/** How the short runs' gains compare with full training on the pairs trained both ways. */
export interface ShortRunAgreement {
  epochs: number;
  /** Directed cells trained both ways (short and full, on at least one common seed). */
  cells: number;
  /** Rank agreement of the short runs' gains with the full-length gains over those cells (NaN below 3 cells). */
  spearman: number;
  /** Root-mean-square difference of the gains beyond both measurements' noise: the approximation's own error. */
  error: number;
}

/** Fewest cells trained both ways before the approximation's error is taken from them instead of assumed. */
const MIN_BOTH_WAYS = 6;

/**
 * The early-stopping approximation as cells: a cell that only short runs measured gets their gain, with an error of
 * their own noise plus the approximation's error measured on the cells trained both ways (before there are enough of
 * them, the typical size of a short-run gain, so that an unchecked approximation never looks precise).
 */
export function approximatedCells(
  full: PairCells,
  short: PairCells,
  epochs: number,
): { cells: PairCells; agreement: ShortRunAgreement } {
  const both: { full: number; short: number; noise: number }[] = [];
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
          noise: (f.se / full.single[i]) ** 2 + (s.se / short.single[i]) ** 2,
        });
    }
  const meanOf = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const excess = meanOf(both.map((c) => (c.full - c.short) ** 2 - (Number.isFinite(c.noise) ? c.noise : 0)));
  const typical = [...shortGains].sort((a, b) => a - b)[Math.floor(shortGains.length / 2)] ?? 0;
  const bias = both.length >= MIN_BOTH_WAYS ? Math.sqrt(Math.max(0, excess)) : typical;
  const estimate = (i: number, j: number): GainEstimate | null => {
    const s = short.cells[i][j];
    if (!s) return null;
    const se = s.se / short.single[i];
    return {
      gain: s.difference / short.single[i],
      se: Math.hypot(Number.isFinite(se) ? se : bias, bias),
    };
  };
  return {
    cells: fillCells(full, estimate),
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
      error: both.length >= MIN_BOTH_WAYS ? Math.sqrt(Math.max(0, excess)) : NaN,
    },
  };
}

/**
 * The cells of the evidence on one split's losses (validation for choosing, test for scoring): measured by full-length
 * networks, the rest from short runs where there are any.
 */
export function evidenceCells(
  evidence: AllocationEvidence,
  split: 'validation' | 'test' = 'validation',
): { cells: PairCells; shortRuns?: ShortRunAgreement } {
  const T = evidence.taskNames.length;
  if (!evidence.short || evidence.short.seeds.length === 0) return { cells: measuredCells(evidence.full[split], T) };
  const short = measuredCells(evidence.short[split], T);
  // before two seeds trained a pair of a row in full, the row's noise is the short runs' (relative to the single loss)
  const full = measuredCells(
    evidence.full[split],
    T,
    short.noise.map((sd, t) => sd / short.single[t]),
  );
  const { cells, agreement } = approximatedCells(full, short, evidence.short.epochs);
  return { cells, shortRuns: agreement };
}

/** The per-seed validation and test tables of the full-length seeds, every pair completed from the cells (completeSeedTables). */
export function completedTables(evidence: AllocationEvidence): { validation: LossTable[]; test: LossTable[] } {
  return {
    validation: completeSeedTables(evidence.full.validation, evidenceCells(evidence, 'validation').cells),
    test: completeSeedTables(evidence.full.test, evidenceCells(evidence, 'test').cells),
  };
}
