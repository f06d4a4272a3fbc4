import { averageLinkage } from '../math/linkage.js';
import { symmetrise } from '../math/matrix.js';
import { dendrogramClusters } from './cluster.js';
import { completeLossTable } from './higherOrder.js';
import type { LossTable } from './lossTable.js';
import { pairGainMatrix } from './pairGain.js';

/**
 * The candidate networks: every group of up to `maxGroupSize` tasks, every measured group, and every cluster of the
 * average-linkage dendrogram of the table's own pair gains. The dendrogram's clusters make every budget feasible when
 * `maxGroupSize` is below the task count; the solver is exact over this set, which is all 2^T - 1 groups only when
 * `maxGroupSize` reaches T (candidateScope says which).
 */
export const candidateTable = (table: LossTable, maxGroupSize: number): LossTable =>
  completeLossTable(table, maxGroupSize, dendrogramClusters(averageLinkage(symmetrise(pairGainMatrix(table)))));
