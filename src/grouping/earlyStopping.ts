import { meanGain } from '../affinity/estimate.js';
import { replicatesFromRecords, type Matrix } from '../affinity/gain.js';
import { agreement } from '../affinity/proxies/agreement.js';
import type { Interval } from '../affinity/stats.js';
import { earlyTestLossOf, earlyValidationLossOf, type NetworkRecord, type Records } from '../sweep/journal.js';
import { perEpochLength } from '../sweep/record.js';
import { adjustedRandIndex } from './ari.js';
import { replicatedBudgetCurve, servingOf, type CurveOptions, type CurvePoint } from './curve.js';
import { epochsTrained, type EngineSettings } from '../engine/settings.js';
import type { LossTable } from './lossTable.js';
import { seedLossTablesOf } from './replicated.js';
import { pairedDifference, replicatedTotal } from './serving.js';

/** What a sweep of `epochs` epochs instead of the full count would have told the user. */
export interface EarlyStoppingPoint extends EarlyMatrixPoint {
  /** At the chosen budget: the grouping it would have picked, scored on the full-training test losses. */
  groups: number[][];
  ari: number;
  /** Its total test loss minus the full sweep's choice, paired by replication: the price of the shortcut. */
  regret: Interval;
}

/** The matrix of a sweep stopped after `epochs` epochs against full training: what a shorter sweep would cost and rank. */
export interface EarlyMatrixPoint {
  epochs: number;
  /**
   * Network-epochs trained up to `epochs` over those of the whole sweep (with patience, a network trains until
   * `patience` epochs after its best): the share of the training cost (an estimate: a step's cost is not exactly
   * proportional to the networks in it).
   */
  costShare: number;
  /** Rank agreement of its gain matrix with the full-training matrix, over the off-diagonal cells. */
  spearman: number;
  kendall: number;
}

/**
 * The gain matrix at each share of the epochs against `fullGain`, re-read from the records (they keep each epoch's
 * best-so-far losses). Undefined when a record has no per-epoch losses for every epoch (imported without an epoch
 * column, or trained with fewer epochs).
 */
export function earlyMatrixAgreement(
  records: Records,
  taskNames: string[],
  replications: string[],
  engine: Pick<EngineSettings, 'epochs' | 'patience'>,
  fractions: number[],
  fullGain: Matrix,
): EarlyMatrixPoint[] | undefined {
  const fullEpochs = engine.epochs;
  const short = (r: NetworkRecord): boolean => {
    const length = perEpochLength(r);
    return length === undefined || length < fullEpochs;
  };
  // read one record at a time (a store rebuilds each when asked: 500,500 a seed at 1000 tasks)
  for (const record of records.values()) if (short(record)) return undefined;
  // filled a record at a time: Float64Array.from(iterable) first lists every value the iterable yields, here every
  // record rebuilt as an object (1,001,000 of them at 1000 tasks: the peak of tra group, 2.8 GB resident)
  // (and not sized first: a view's size is one more pass over the records)
  const trained: number[] = [];
  for (const record of records.values()) trained.push(epochsTrained(engine, record.bestEpoch));
  const networkEpochsUpTo = (epochs: number): number => trained.reduce((sum, t) => sum + Math.min(epochs, t), 0);
  const epochCounts = [...new Set(fractions.map((f) => Math.max(1, Math.round(f * fullEpochs))))].filter(
    (e) => e < fullEpochs,
  );
  return epochCounts.map((epochs) => {
    const gain = meanGain(
      replicatesFromRecords(records, taskNames.length, replications, earlyTestLossOf(epochs)),
      taskNames.length,
    );
    const { spearman, kendall } = agreement(`${epochs} epochs`, gain, fullGain);
    return { epochs, costShare: networkEpochsUpTo(epochs) / networkEpochsUpTo(fullEpochs), spearman, kendall };
  });
}

/**
 * Re-reads the sweep as if it had stopped after a fraction of the epochs and measures what that would have changed:
 * the matrix (earlyMatrixAgreement) and the grouping at the chosen budget. Undefined when the losses have no per-epoch
 * rows (imported without an epoch column).
 */
export async function earlyStoppingApproximation(
  records: Records,
  taskNames: string[],
  replications: string[],
  engine: Pick<EngineSettings, 'epochs' | 'patience'>,
  fractions: number[],
  context: { fullGain: Matrix; fullTestTables: readonly LossTable[]; chosen: CurvePoint; curve: CurveOptions },
): Promise<EarlyStoppingPoint[] | undefined> {
  const { chosen } = context;
  const level = context.curve.level;
  const matrices = earlyMatrixAgreement(records, taskNames, replications, engine, fractions, context.fullGain);
  if (!matrices) return undefined;
  const points: EarlyStoppingPoint[] = [];
  for (const matrix of matrices) {
    const { epochs } = matrix;
    const [validation, test] = seedLossTablesOf(records.values(), taskNames, replications, [
      earlyValidationLossOf(epochs),
      earlyTestLossOf(epochs),
    ]);
    const [point] = await replicatedBudgetCurve(validation, test, { ...context.curve, budgets: [chosen.budget] });
    const serving = servingOf(point.selection);
    const onFullTraining = replicatedTotal(context.fullTestTables, serving, level);
    points.push({
      ...matrix,
      groups: serving.groups,
      ari: adjustedRandIndex(serving.assignment, chosen.selection.assignment),
      regret: pairedDifference(onFullTraining.totals, chosen.predicted.totals, level),
    });
  }
  return points;
}
