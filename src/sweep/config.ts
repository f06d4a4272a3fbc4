import { createHash } from 'node:crypto';
import type { Dataset } from '../data/dataset.js';
import type { SplitScheme } from '../data/split.js';
import type { EngineSettings } from '../engine/settings.js';

/** Everything a network's result depends on, except its seed and group: results with equal hashes can be pooled. */
export interface SweepConfig {
  data: { source: string; sha256: string; rows: number; featureNames: string[]; taskNames: string[]; taskKinds: string[] };
  engine: EngineSettings;
  split: SplitScheme;
}

export function sweepConfig(ds: Dataset, engine: EngineSettings, split: SplitScheme): SweepConfig {
  return {
    data: { source: ds.source, sha256: ds.sha256, rows: ds.rows, featureNames: ds.featureNames, taskNames: ds.taskNames, taskKinds: ds.taskKinds },
    engine,
    split,
  };
}

/**
 * Cross-fitted journals made before the validation block (when fold f+1 was replication f's validation fold) are
 * refused rather than mixed: their selections saw other replications' test rows.
 */
const KFOLD_DESIGN = 'validation block of 1/(k+1), never tested';

/** The source path is left out: moving a file does not change its results. */
export function configHash(config: SweepConfig): string {
  const { source: _source, ...data } = config.data;
  const design = config.split.kind === 'kfold' ? { design: KFOLD_DESIGN } : {};
  return createHash('sha256').update(JSON.stringify({ ...config, data, ...design })).digest('hex');
}
