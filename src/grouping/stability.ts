import type { Random } from '../data/random.js';
import { adjustedRandIndex } from './ari.js';
import type { LossTable } from './lossTable.js';
import { meanLossTable } from './replicated.js';
import type { SelectOptions } from './select.js';
import { SelectionMemo } from './selectionMemo.js';
import { sameServing, type Serving } from './serving.js';

export interface Stability {
  draws: number;
  /** Share of bootstrap resamples whose selection serves every task exactly as the chosen grouping does. */
  sameGrouping: number;
  /** Mean adjusted Rand index between the resampled and the chosen task-to-network assignment. */
  meanAri: number;
  /**
   * Share of resamples that split the tasks among networks as the chosen grouping does (ARI 1), whatever the networks:
   * {a} {a, b} serving a and b splits them as {a} {b} does.
   */
  samePartition: number;
}

/**
 * How much the chosen grouping owes to which replications happened to be run: resample replications with
 * replacement, re-select at the same budget, and count how often the answer stays the same.
 */
export async function bootstrapStability(
  validationTables: readonly LossTable[],
  chosen: Serving,
  budget: number,
  options: SelectOptions & { maxGroupSize: number; draws: number; random: Random; memo?: SelectionMemo },
): Promise<Stability> {
  let same = 0;
  let ariSum = 0;
  let partitions = 0;
  // A resample drawn before (the same replications in the same order) selects the same: with few seeds most draws
  // repeat one (2 seeds: 4 orders), and at 1000 tasks each selection, its candidate table included, takes seconds.
  const selected = new Map<string, Serving>();
  // and one that means the same table as a selection made before (the curve's, a held-out seed's) is not made again
  const memo = options.memo ?? new SelectionMemo(options);
  for (let d = 0; d < options.draws; d++) {
    const drawn = validationTables.map(() => Math.floor(options.random() * validationTables.length));
    const key = drawn.join(',');
    let serving = selected.get(key);
    if (!serving) {
      const resample = drawn.map((r) => validationTables[r]);
      const selection = await memo.select(meanLossTable(resample), budget);
      serving = { groups: selection.groups, assignment: selection.assignment };
      selected.set(key, serving);
    }
    if (sameServing(serving, chosen)) same++;
    const ari = adjustedRandIndex(serving.assignment, chosen.assignment);
    ariSum += ari;
    if (ari > 1 - 1e-9) partitions++;
  }
  return {
    draws: options.draws,
    sameGrouping: same / options.draws,
    meanAri: ariSum / options.draws,
    samePartition: partitions / options.draws,
  };
}
