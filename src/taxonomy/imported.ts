import type { Records } from '../sweep/journal.js';
import type { TestExamples } from '../sweep/imported.js';
import { firstOrderMatrices, type MeasuredTransfer } from './transfers.js';
import type { TransferMeasurements } from './measure.js';

/** What a transfer is when the networks were trained elsewhere (said in taxonomy.json: it deviates from Taskonomy). */
export const IMPORTED_TRANSFERS =
  "imported losses: the transfer sources → target is the target's head in the multi-task network trained on sources ∪ {target} " +
  '(as the user measured it), not a readout on the frozen encoders of the sources (Zamir et al. 2018); first order: every pair; ' +
  'higher orders: every measured network of 3+ tasks (no beam search: nothing is trained here)';

/** The same deviation when the user's training command trained the networks (the pairwise sweep and any extra groups). */
export const COMMAND_TRANSFERS =
  "your command's networks: the transfer sources → target is the target's head in the multi-task network trained on sources ∪ {target} " +
  '(as your command trained it), not a readout on the frozen encoders of the sources (Zamir et al. 2018); first order: every pair; ' +
  "higher orders: the definition's extra groups of 3+ tasks (no beam search)";

/**
 * The taxonomy's measurements from imported networks with per-example test losses: per target, its single-task network
 * is its own candidate and every measured network containing it is a transfer from the network's other tasks.
 */
export function importedTransfers(
  taskCount: number,
  records: Records,
  examples: TestExamples,
  replications: string[],
): TransferMeasurements {
  const transfers = new Map<string, MeasuredTransfer>();
  for (const replication of replications)
    for (const record of records.values()) {
      if (record.replication !== replication) continue;
      const losses = examples.get(record.id) as number[][];
      record.group.forEach((target, k) => {
        const own = record.group.length === 1;
        const sources = own ? [target] : record.group.filter((t) => t !== target);
        const key = `${target}<${sources.join('+')}`;
        const transfer = transfers.get(key) ?? { target, sources, own, testLoss: [], exampleLoss: [] };
        transfer.testLoss.push(record.testLoss[k]);
        transfer.exampleLoss.push(Float64Array.from(losses[k]));
        transfers.set(key, transfer);
      });
    }
  const all = [...transfers.values()];
  const beamSets = Array.from({ length: taskCount }, (_, target) =>
    all.filter((t) => t.target === target && t.sources.length >= 2).map((t) => t.sources),
  );
  return { transfers: all, firstOrder: firstOrderMatrices(taskCount, all), beamSets, replications, seconds: 0 };
}
