import { readFolderDefinition } from '../analysis/folderDefinition.js';
import { type AnalysisSpec, type DefinitionOverrides, readSpecFile } from '../analysis/spec.js';
import { isFolder } from './flags.js';
import { DATA_OPTIONS } from '../options/data.js';
import { ENGINE_OPTIONS } from '../options/engine.js';
import { EXECUTION_OPTIONS } from '../options/execution.js';
import { INFERENCE_OPTIONS } from '../options/inference.js';
import { OUTPUT_OPTIONS } from '../options/output.js';
import { SPLIT_OPTIONS } from '../options/split.js';
import { SWEEP_OPTIONS } from '../options/sweep.js';
import { LAUNCH_OPTIONS, TRAINING_COMMAND_OPTIONS } from '../options/command.js';
import { InputError } from '../data/errors.js';
import { flagName, type OptionGroup } from '../options/option.js';
import { givenValues } from './options.js';

const { seeds, ...SPLIT_FIELDS } = SPLIT_OPTIONS;
const { backend, workers, watchdog } = EXECUTION_OPTIONS;

/** The definition fields a command line gave (a command registers only those it takes; the others are absent). */
export const overridesOf = (flags: Record<string, unknown>): DefinitionOverrides => ({
  fields: {
    ...givenValues(flags, DATA_OPTIONS),
    ...givenValues(flags, TRAINING_COMMAND_OPTIONS),
    ...givenValues(flags, { seeds }),
    ...givenValues(flags, SWEEP_OPTIONS),
    ...givenValues(flags, INFERENCE_OPTIONS),
    ...givenValues(flags, { backend, workers, watchdog }),
    ...givenValues(flags, LAUNCH_OPTIONS),
    ...givenValues(flags, OUTPUT_OPTIONS),
  },
  engine: givenValues(flags, ENGINE_OPTIONS),
  split: givenValues(flags, SPLIT_FIELDS),
});

/**
 * A definition file, or the definition a sweep wrote into its output folder, with the command line's values over its
 * own: the effective configuration, hashed and recorded.
 */
export const readDefinition = (path: string, flags: Record<string, unknown>): AnalysisSpec =>
  isFolder(path)
    ? readFolderDefinition(path, overridesOf(flags))
    : readSpecFile(path, process.cwd(), overridesOf(flags));

/** The flags among `groups` that the command line gave, as typed. */
const givenFlags = (flags: Record<string, unknown>, groups: OptionGroup[]): string[] =>
  groups.flatMap((group) => Object.keys(givenValues(flags, group)).map((key) => flagName(group[key])));

/**
 * A folder of imported losses has nothing to train: a flag that says how to train is refused rather than ignored;
 * the intervals' level and the verdicts' rate apply.
 */
export function importedFolderOptions(
  folder: string,
  flags: Record<string, unknown>,
): { level?: number; fdr?: number } {
  const { level, fdr, subtractNullBias } = INFERENCE_OPTIONS;
  const training = givenFlags(flags, [
    ENGINE_OPTIONS,
    SPLIT_OPTIONS,
    SWEEP_OPTIONS,
    { subtractNullBias },
    { backend, workers, watchdog, maxHours: EXECUTION_OPTIONS.maxHours },
    LAUNCH_OPTIONS,
    OUTPUT_OPTIONS,
  ]);
  if (training.length)
    throw new InputError(
      `${training.join(', ')}: ${folder} holds imported losses, and the toolkit cannot train your model; its measured networks are the evidence`,
    );
  return givenValues(flags, { level, fdr });
}
