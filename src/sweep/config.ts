import { createHash } from 'node:crypto';
import type { Dataset } from '../data/dataset.js';
import type { SplitScheme } from '../data/split.js';
import type { EngineSettings } from '../engine/settings.js';
import type { ModelRef } from '../engine/userModel/load.js';
import type { CodeFile } from '../engine/command/ref.js';
import type { ImportedConfig } from './imported.js';

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

/**
 * The configuration of a sweep that trains through the user's command (a definition's `"command"`): the data, network
 * and training live in the user's code, so what results depend on is the command line, the code's content, the
 * tasks, the split and the epochs.
 */
export interface CommandConfig {
  command: { argv: string[]; code: CodeFile[] };
  taskNames: string[];
  epochs: number;
  split: SplitScheme;
}

export const isCommandConfig = (config: unknown): config is CommandConfig =>
  typeof config === 'object' && config !== null && 'command' in config;

export const isImportedConfig = (config: unknown): config is ImportedConfig =>
  typeof config === 'object' && config !== null && 'imported' in config;

/** The task names of any journal's configuration: a sweep's, a command's or an import's. */
export const taskNamesOf = (config: SweepConfig | { taskNames: string[] }): string[] =>
  'data' in config ? config.data.taskNames : config.taskNames;

/** The epochs of any journal's configuration: a sweep's engine settings, a command's or an import's own. */
export const epochsOf = (config: SweepConfig | { epochs?: number }): number | undefined =>
  'engine' in config ? config.engine.epochs : config.epochs;

/** The engine settings a configuration trains with: a command's are its epochs only (it may stop earlier on its own). */
export const engineOf = (
  config: SweepConfig | CommandConfig,
): EngineSettings | { epochs: number; patience?: undefined } =>
  isCommandConfig(config) ? { epochs: config.epochs } : config.engine;

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
export function configHash(config: SweepConfig | CommandConfig): string {
  if (isCommandConfig(config)) {
    // the code files' paths are left out like the data's: moving the script changes nothing, editing it does
    const { argv, code } = config.command;
    const command = { argv, code: code.map((file) => file.sha256) };
    return createHash('sha256')
      .update(JSON.stringify({ ...config, command }))
      .digest('hex');
  }
  const { source: _source, ...data } = config.data;
  const design = config.split.kind === 'kfold' ? { design: KFOLD_DESIGN } : {};
  const model = config.model ? { model: { sha256: config.model.sha256 } } : {};
  return createHash('sha256')
    .update(JSON.stringify({ ...config, data, ...design, ...model }))
    .digest('hex');
}

/** What differs between two configurations, in words for an error: the model module when that is what changed. */
export function configDifference(before: SweepConfig | CommandConfig, now: SweepConfig | CommandConfig): string {
  if (isCommandConfig(before) || isCommandConfig(now)) return commandDifference(before, now);
  const name = (config: SweepConfig): string =>
    config.model ? `the model ${config.model.source}` : 'the built-in MLP';
  if (before.model?.sha256 === now.model?.sha256) return 'data or settings changed';
  if (before.model && now.model)
    return `the model module ${now.model.source} changed since (sha256 ${before.model.sha256.slice(0, 12)} then, ${now.model.sha256.slice(0, 12)} now)`;
  return `trained with ${name(before)}, now ${name(now)}`;
}

function commandDifference(before: SweepConfig | CommandConfig, now: SweepConfig | CommandConfig): string {
  if (!isCommandConfig(before) || !isCommandConfig(now))
    return `trained ${isCommandConfig(before) ? 'by a command' : 'by tra'}, now ${isCommandConfig(now) ? 'by a command' : 'by tra'}`;
  const edited = now.command.code.find((file, k) => before.command.code[k]?.sha256 !== file.sha256);
  if (edited && now.command.code.length === before.command.code.length)
    return `the code ${edited.source} changed since (sha256 ${before.command.code[now.command.code.indexOf(edited)].sha256.slice(0, 12)} then, ${edited.sha256.slice(0, 12)} now)`;
  if (JSON.stringify(before.command.argv) !== JSON.stringify(now.command.argv))
    return `the command changed (${JSON.stringify(before.command.argv)} then, ${JSON.stringify(now.command.argv)} now)`;
  return 'the code files, tasks, split or epochs changed';
}
