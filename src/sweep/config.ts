import { createHash } from 'node:crypto';
import type { Dataset } from '../data/dataset.js';
import type { SplitScheme } from '../data/split.js';
import type { EngineSettings } from '../engine/settings.js';
import type { ModelRef } from '../engine/userModel/load.js';

/** Everything a network's result depends on, except its seed and group: results with equal hashes can be pooled. */
export interface SweepConfig {
  data: {
    source: string;
    sha256: string;
    rows: number;
    featureNames: string[];
    taskNames: string[];
    taskKinds: string[];
    inputShape?: number[];
  };
  engine: EngineSettings;
  split: SplitScheme;
  /** The user's model module (a definition's `"model"`); absent: the built-in MLP. Its content's hash is configuration. */
  model?: ModelRef;
}

export function sweepConfig(ds: Dataset, engine: EngineSettings, split: SplitScheme, model?: ModelRef): SweepConfig {
  const { source, sha256, rows, featureNames, taskNames, taskKinds, inputShape } = ds;
  return {
    data: { source, sha256, rows, featureNames, taskNames, taskKinds, ...(inputShape ? { inputShape } : {}) },
    engine,
    split,
    ...(model ? { model } : {}),
  };
}

/**
 * Cross-fitted journals made before the validation block (when fold f+1 was replication f's validation fold) are
 * refused rather than mixed: their selections saw other replications' test rows.
 */
const KFOLD_DESIGN = 'validation block of 1/(k+1), never tested';

/** The source paths (data, model) are left out: moving a file does not change its results; editing it does. */
export function configHash(config: SweepConfig): string {
  const { source: _source, ...data } = config.data;
  const design = config.split.kind === 'kfold' ? { design: KFOLD_DESIGN } : {};
  const model = config.model ? { model: { sha256: config.model.sha256 } } : {};
  return createHash('sha256')
    .update(JSON.stringify({ ...config, data, ...design, ...model }))
    .digest('hex');
}

/** What differs between two configurations, in words for an error: the model module when that is what changed. */
export function configDifference(before: SweepConfig, now: SweepConfig): string {
  const name = (config: SweepConfig): string =>
    config.model ? `the model ${config.model.source}` : 'the built-in MLP';
  if (before.model?.sha256 === now.model?.sha256) return 'data or settings changed';
  if (before.model && now.model)
    return `the model module ${now.model.source} changed since (sha256 ${before.model.sha256.slice(0, 12)} then, ${now.model.sha256.slice(0, 12)} now)`;
  return `trained with ${name(before)}, now ${name(now)}`;
}
