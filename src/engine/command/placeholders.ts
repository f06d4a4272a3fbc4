import { InputError } from '../../data/errors.js';

/**
 * The values a training command receives for one network, as placeholders in its argv (`{seed}`) and as environment
 * variables (TRA_SEED). Each placeholder is replaced inside its own argument, and no shell ever sees the result: a
 * task named `a; rm -rf ~` is one argument holding exactly that text.
 */
export interface NetworkValues {
  /** The group's task names, in the definition's task order. */
  tasks: string[];
  /** Their 0-based indices in the definition's task list. */
  taskIndices: number[];
  seed: number;
  fold: number;
  /** Folds of a k-fold split; 0 under a holdout split. */
  folds: number;
  split: 'kfold' | 'holdout';
  /** Holdout split: the shares of rows for validation and test (0 under k-fold). */
  validationShare: number;
  testShare: number;
  /** The replication's key (s0, or s0f2 under k-fold). */
  replication: string;
  /** The network's id in the journal (s0/0+3). */
  network: string;
  epochs: number;
  /** Where the command writes its result file. */
  result: string;
  /** The network's own folder (its result and log live there). */
  runDir: string;
  /** The device handed to this command (--devices), or 'cpu' when none are. */
  device: string;
}

/** Placeholder names and what each holds; `{tasks...}` (one argument per task) is the one that expands. */
export const PLACEHOLDERS: Record<string, { env: string; help: string; value: (v: NetworkValues) => string }> = {
  tasks: {
    env: 'TRA_TASKS',
    help: "the group's task names joined by ',' (a name holding ',' needs {tasks...} or {tasks_json})",
    value: (v) => v.tasks.join(','),
  },
  tasks_json: { env: 'TRA_TASKS_JSON', help: 'the task names as a JSON array', value: (v) => JSON.stringify(v.tasks) },
  task_indices: {
    env: 'TRA_TASK_INDICES',
    help: "the tasks' 0-based indices in the definition's task list, joined by ','",
    value: (v) => v.taskIndices.join(','),
  },
  seed: { env: 'TRA_SEED', help: 'the seed (split, initialisation, batch order)', value: (v) => String(v.seed) },
  fold: { env: 'TRA_FOLD', help: 'the test fold under a k-fold split (0 under holdout)', value: (v) => String(v.fold) },
  folds: { env: 'TRA_FOLDS', help: 'the number of folds (0 under holdout)', value: (v) => String(v.folds) },
  split: { env: 'TRA_SPLIT', help: 'kfold or holdout', value: (v) => v.split },
  validation_share: {
    env: 'TRA_VALIDATION_SHARE',
    help: 'holdout split: share of rows for validation',
    value: (v) => String(v.validationShare),
  },
  test_share: {
    env: 'TRA_TEST_SHARE',
    help: 'holdout split: share of rows for test',
    value: (v) => String(v.testShare),
  },
  replication: { env: 'TRA_REPLICATION', help: 'the replication id (s0, s0f2)', value: (v) => v.replication },
  network: { env: 'TRA_NETWORK', help: 'the network id in the journal (s0/0+3)', value: (v) => v.network },
  epochs: { env: 'TRA_EPOCHS', help: 'the most epochs to train', value: (v) => String(v.epochs) },
  result: { env: 'TRA_RESULT', help: 'the path to write the result file to', value: (v) => v.result },
  run_dir: { env: 'TRA_RUN_DIR', help: "the network's own folder", value: (v) => v.runDir },
  device: {
    env: 'TRA_DEVICE',
    help: "the device handed to this command by --devices (also CUDA_VISIBLE_DEVICES), else 'cpu'",
    value: (v) => v.device,
  },
};

/** The argument that expands to one argument per task; only valid as a whole argument. */
export const TASKS_EACH = '{tasks...}';

const TOKEN = /\{\{|\}\}|\{([^{}]*)\}/g;

/** Checks a command's argv: a program, known placeholders only, `{tasks...}` alone in its argument. */
export function checkCommandArgv(argv: string[], where: string): void {
  if (argv.length === 0 || argv[0].trim() === '') throw new InputError(`${where}: command[0] must name the program`);
  argv.forEach((argument, k) => {
    if (argument === TASKS_EACH) return;
    for (const match of argument.matchAll(TOKEN)) {
      const name = match[1];
      if (name === undefined) continue;
      if (`{${name}}` === TASKS_EACH)
        throw new InputError(
          `${where}: command[${k}] '${argument}': ${TASKS_EACH} expands to one argument per task and must be a whole argument`,
        );
      if (!(name in PLACEHOLDERS))
        throw new InputError(
          `${where}: command[${k}] '${argument}': unknown placeholder {${name}}; known: ${Object.keys(PLACEHOLDERS)
            .map((p) => `{${p}}`)
            .join(', ')}, ${TASKS_EACH} (write {{ and }} for literal braces)`,
        );
    }
  });
  if (argv[0].includes('{'))
    throw new InputError(`${where}: command[0] '${argv[0]}' must be the program, not a placeholder`);
}

/** The argv of one network's command: every placeholder replaced within its own argument. */
export function substituteArgv(argv: string[], values: NetworkValues): string[] {
  return argv.flatMap((argument) =>
    argument === TASKS_EACH
      ? values.tasks
      : [
          argument.replace(TOKEN, (token, name?: string) =>
            name === undefined ? token[0] : PLACEHOLDERS[name].value(values),
          ),
        ],
  );
}

/** The same values as environment variables; with a device, CUDA_VISIBLE_DEVICES hands the command that device only. */
export function commandEnvironment(values: NetworkValues, withDevice: boolean): Record<string, string> {
  const env = Object.fromEntries(Object.values(PLACEHOLDERS).map((p) => [p.env, p.value(values)]));
  return withDevice ? { ...env, CUDA_VISIBLE_DEVICES: values.device } : env;
}
