import type { Random } from '../data/random.js';
import { adjustedRandIndex } from './ari.js';
import { candidateTable } from './curve.js';
import type { LossTable } from './lossTable.js';
import { meanLossTable } from './replicated.js';
import { selectNetworks, type SelectOptions } from './select.js';
import { selectionProblem } from './selection.js';
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
  options: SelectOptions & { maxGroupSize: number; draws: number; random: Random },
): Promise<Stability> {
  let same = 0;
  let ariSum = 0;
  let partitions = 0;
  for (let d = 0; d < options.draws; d++) {
    const resample = validationTables.map(
      () => validationTables[Math.floor(options.random() * validationTables.length)],
    );
    const problem = selectionProblem(candidateTable(meanLossTable(resample), options.maxGroupSize));
    const selection = await selectNetworks(problem, budget, options);
    const serving = { groups: selection.groups, assignment: selection.assignment };
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
