import { join } from 'node:path';
import { estimateAffinity, type AffinityEstimate } from '../../src/affinity/estimate.js';
import { replicatesFromRecords } from '../../src/affinity/gain.js';
import type { Dataset } from '../../src/data/dataset.js';
import { PROTOCOL_SPLIT, type SplitScheme } from '../../src/data/split.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import { activeBackend } from '../../src/engine/backend.js';
import { sweepConfig } from '../../src/sweep/config.js';
import { replicationsOf, SweepGroups } from '../../src/sweep/plan.js';
import { runSweep, type SweepOutcome } from '../../src/sweep/run.js';
import { tempDir } from './files.js';

/** Small, fast settings under which planted structure is clearly visible. */
export const SMALL_ENGINE: EngineSettings = { hidden: [32, 32], learningRate: 0.003, batchSize: 32, epochs: 40 };

export async function sweepAndEstimate(
  dataset: Dataset,
  seeds: number[],
  engine: EngineSettings = SMALL_ENGINE,
  journalPath = join(tempDir(), 'journal.jsonl'),
  workers = 1,
  split: SplitScheme = PROTOCOL_SPLIT,
): Promise<{ estimate: AffinityEstimate; sweep: SweepOutcome; journalPath: string }> {
  const sweep = await runSweep({
    dataset,
    config: sweepConfig(dataset, engine, split),
    groups: SweepGroups.pairwise(dataset.taskNames.length),
    seeds,
    journalPath,
    backend: activeBackend(),
    workers,
    quiet: true,
  });
  const estimate = estimateAffinity(
    dataset.taskNames,
    replicatesFromRecords(
      sweep.journal.records,
      dataset.taskNames.length,
      replicationsOf(split, seeds).map((r) => r.key),
    ),
    0.95,
  );
  return { estimate, sweep, journalPath };
}
