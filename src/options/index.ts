/**
 * Every option of every command, declared once (flag, help, unit, range, default), in groups. The analysis
 * definition's schema, the commands' flags, the runners' option types and docs/REFERENCE.md are derived from these.
 */
import { AUXILIARY_OPTIONS } from './auxiliary.js';
import { BASELINES_OPTIONS } from './baselines.js';
import { DATA_OPTIONS } from './data.js';
import { ENGINE_OPTIONS } from './engine.js';
import { DISTRIBUTION_OPTIONS, EXECUTION_OPTIONS } from './execution.js';
import { GROUPING_OPTIONS } from './grouping.js';
import { IMPORT_OPTIONS } from './imports.js';
import { INFERENCE_OPTIONS } from './inference.js';
import type { OptionDeclaration, OptionGroup } from './option.js';
import { OUTPUT_OPTIONS, PRINT_OPTIONS } from './output.js';
import { PAPER_OPTIONS } from './paper.js';
import { PROXY_OPTIONS } from '../affinity/proxies/registry.js';
import { PROXIES_OPTIONS } from './proxies.js';
import { SPLIT_OPTIONS } from './split.js';
import { SWEEP_OPTIONS } from './sweep.js';
import { TAXONOMY_OPTIONS } from './taxonomy.js';
import { LAUNCH_OPTIONS, TRAINING_COMMAND_OPTIONS } from './command.js';

/** A named group of options, shown under one heading in a command's help. */
export interface NamedGroup {
  title: string;
  options: OptionGroup;
}

export const OPTION_GROUPS = {
  data: { title: 'Data', options: DATA_OPTIONS },
  command: { title: 'Training command', options: TRAINING_COMMAND_OPTIONS },
  launch: { title: 'Launching the command', options: LAUNCH_OPTIONS },
  engine: { title: 'Engine', options: ENGINE_OPTIONS },
  split: { title: 'Split and seeds', options: SPLIT_OPTIONS },
  sweep: { title: 'Sweep', options: SWEEP_OPTIONS },
  inference: { title: 'Inference', options: INFERENCE_OPTIONS },
  execution: { title: 'Execution', options: EXECUTION_OPTIONS },
  distribution: { title: 'Distribution', options: DISTRIBUTION_OPTIONS },
  output: { title: 'Output', options: OUTPUT_OPTIONS },
  print: { title: 'Printing', options: PRINT_OPTIONS },
  grouping: { title: 'Grouping', options: GROUPING_OPTIONS },
  auxiliary: { title: 'Auxiliary candidates', options: AUXILIARY_OPTIONS },
  proxies: { title: 'Proxies', options: PROXIES_OPTIONS },
  proxyOptions: { title: "The proxies' own", options: PROXY_OPTIONS },
  taxonomy: { title: 'Taxonomy', options: TAXONOMY_OPTIONS },
  baselines: { title: 'Baselines', options: BASELINES_OPTIONS },
  import: { title: 'Import', options: IMPORT_OPTIONS },
  paper: { title: 'Paper', options: PAPER_OPTIONS },
} satisfies Record<string, NamedGroup>;

export type GroupName = keyof typeof OPTION_GROUPS;

/** A command's use of a group: all of it, or only the options it honours (and among them those it requires). */
export type GroupUse = GroupName | { group: GroupName; only: readonly string[]; required?: readonly string[] };

/** The definition groups a command that reads an analysis definition takes as overrides. */
const OVERRIDES: GroupUse[] = ['engine', 'split', 'sweep', 'inference', 'execution', 'launch', 'output'];

/**
 * Which option groups each command takes: the one table the commands' flags, the conformance test and the reference
 * are built from. Every command that trains networks takes the engine options and, of the execution options, those it
 * honours: the backend and --quiet always; --workers and --max-hours where training goes through the sweep's trainer
 * and planner (sweep, run, group, auxiliary). tra proxies and tra taxonomy train in this thread with no plan, so a
 * worker count or a time limit would be ignored there: they do not take one.
 */
export const COMMAND_OPTIONS = {
  sweep: ['data', 'command', 'engine', 'split', 'sweep', 'inference', 'execution', 'launch', 'distribution', 'output'],
  run: [...OVERRIDES, 'distribution'],
  group: [...OVERRIDES, { group: 'distribution', only: ['queue'] }, 'grouping', { group: 'print', only: ['json'] }],
  plan: ['engine', 'split', 'sweep', { group: 'execution', only: ['backend', 'workers', 'maxHours'] }, 'print'],
  auxiliary: [
    'engine',
    'split',
    { group: 'inference', only: ['level', 'fdr'] },
    'execution',
    { group: 'output', only: ['out'] },
    'auxiliary',
  ],
  proxies: [
    'engine',
    { group: 'split', only: ['kind', 'folds', 'validation', 'test'] },
    { group: 'execution', only: ['backend', 'quiet'] },
    { group: 'output', only: ['out'] },
    'proxies',
    'proxyOptions',
  ],
  taxonomy: [
    'engine',
    'split',
    { group: 'execution', only: ['backend', 'quiet'] },
    'launch',
    { group: 'output', only: ['out'] },
    'taxonomy',
  ],
  affinity: ['inference'],
  import: ['import', { group: 'inference', only: ['level', 'fdr'] }],
  baselines: ['baselines', { group: 'execution', only: ['quiet'] }],
  paper: ['paper'],
  worker: [
    { group: 'distribution', only: ['queue'], required: ['queue'] },
    { group: 'execution', only: ['workers'] },
    'launch',
  ],
} satisfies Record<string, readonly GroupUse[]>;

export type CommandName = keyof typeof COMMAND_OPTIONS;

/** The groups a command takes, each narrowed to the options it honours. */
export function commandGroups(command: CommandName): NamedGroup[] {
  return (COMMAND_OPTIONS[command] as readonly GroupUse[]).map((use) => {
    const name = typeof use === 'string' ? use : use.group;
    const { title, options } = OPTION_GROUPS[name];
    if (typeof use === 'string') return { title, options };
    const picked = use.only.map((key): [string, OptionDeclaration] => {
      const option: OptionDeclaration = options[key as keyof typeof options];
      return [key, use.required?.includes(key) ? { ...option, required: true } : option];
    });
    return { title, options: Object.fromEntries(picked) };
  });
}
