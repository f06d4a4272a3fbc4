import { basename, extname } from 'node:path';
import { type Command, Option } from 'commander';
import { completeSpec } from '../analysis/spec.js';
import { BACKENDS } from '../engine/backend.js';
import { DEFAULT_ENGINE } from '../engine/settings.js';
import { DEFAULT_FRACTIONS } from '../data/split.js';
import { numberList, numeric } from './flags.js';
import { InputError } from '../data/errors.js';
import { guarded } from './errors.js';
import { DEFAULT_MAX_NETWORKS } from '../sweep/planner.js';
import { runAnalysisOrShard } from './print.js';

interface SweepFlags {
  data: string;
  tasks?: string;
  labels?: string;
  features?: string;
  taskKind: string;
  seeds: string;
  groups?: string;
  epochs: string;
  patience: string;
  hidden: string;
  lr: string;
  batchSize: string;
  taskWeights?: string;
  split: string;
  folds: string;
  validation: string;
  test: string;
  name?: string;
  out?: string;
  backend?: string;
  workers?: string;
  level: string;
  fdr: string;
  nullTasks: string;
  subtractNullBias?: boolean;
  untilReliability?: string;
  maxMinutes: string;
  shard?: string;
  queue?: string;
  quiet?: boolean;
  maxNetworks: string;
}

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description(
      'train every task alone and every pair over several seeds; write the affinity matrix with intervals and reliability',
    )
    .requiredOption('--data <csv>', 'CSV with a header row: numeric features and one column per task')
    .option('--tasks <spec>', "task columns: 'last:N', 'first:N' or comma-separated names")
    .option('--labels <spec>', 'the same as --tasks')
    .option('--features <names>', 'comma-separated feature columns (default: every non-task column)')
    .addOption(
      new Option(
        '--task-kind <kind>',
        'loss of the tasks: binary (BCE) or regression (MSE); auto = binary when all values are 0/1',
      )
        .choices(['auto', 'binary', 'regression'])
        .default('auto'),
    )
    .option('--seeds <n|list>', 'replications: a count N (seeds 0..N-1) or a list such as 0,1,7', '3')
    .option('--groups <groups>', "extra groups to train besides singles and pairs, e.g. 'a+b+c;d+e' (names or indices)")
    .option('--epochs <n>', 'passes over the training rows (at most, with --patience)', String(DEFAULT_ENGINE.epochs))
    .option(
      '--patience <n>',
      'stop a network after n epochs without a lower validation loss; 0: every network trains all epochs (PROTOCOL.md)',
      String(DEFAULT_ENGINE.patience),
    )
    .option('--hidden <widths>', 'trunk hidden layer widths', DEFAULT_ENGINE.hidden.join(','))
    .option('--lr <rate>', 'Adam learning rate', String(DEFAULT_ENGINE.learningRate))
    .option('--batch-size <n>', 'mini-batch size', String(DEFAULT_ENGINE.batchSize))
    .option('--task-weights <weights>', 'per-task loss weights, comma-separated in task order (default all 1)')
    .addOption(
      new Option(
        '--split <kind>',
        'kfold: cross-fit, every row is a test row once per seed; holdout: one 60/20/20 split per seed (PROTOCOL.md, with --patience 0)',
      )
        .choices(['kfold', 'holdout'])
        .default('kfold'),
    )
    .option('--folds <k>', 'folds of the kfold split (test on fold f, select on fold f+1)', '5')
    .option(
      '--validation <share>',
      'holdout split: share of rows for validation (model selection)',
      String(DEFAULT_FRACTIONS.validation),
    )
    .option(
      '--test <share>',
      'holdout split: share of rows for test (the reported losses)',
      String(DEFAULT_FRACTIONS.test),
    )
    .option('--name <name>', 'analysis name (default: <data file>-pairwise)')
    .option('--out <dir>', 'output folder (default: reports/<name>); its journal.jsonl lets a rerun resume')
    .addOption(
      new Option(
        '--backend <name>',
        'engine backend (default: the fastest that loads: native, tensorflow, wasm, cpu)',
      ).choices([...BACKENDS]),
    )
    .option('--workers <n>', 'worker threads per fused batch, one tfjs instance each (default: the number of cores)')
    .option('--level <p>', 'confidence level of the intervals', '0.95')
    .option('--fdr <q>', 'false-discovery rate of the per-cell helps/hurts verdicts (Benjamini-Hochberg)', '0.05')
    .option(
      '--null-tasks <n>',
      'negative controls: sweep n permuted copies of real tasks to measure the null gain and its bias',
      '0',
    )
    .option(
      '--subtract-null-bias',
      'judge each cell against what a null partner does to the same task (needs --null-tasks)',
    )
    .option(
      '--until-reliability <r>',
      'keep adding seeds until the matrix reaches this split-half reliability (e.g. 0.7)',
    )
    .option('--max-minutes <m>', 'time budget of --until-reliability', '60')
    .option(
      '--shard <i/N>',
      "train only shard i of N (a deterministic slice) into its own folder; combine with 'tra merge'",
    )
    .option(
      '--queue <url>',
      "distribute the sweep over 'tra worker' processes through Redis (BullMQ), e.g. redis://127.0.0.1:6379",
    )
    .option(
      '--max-networks <n>',
      `refuse a sweep of more networks than this (the planner prints their number, estimated time and cheaper routes)`,
      String(DEFAULT_MAX_NETWORKS),
    )
    .option('--quiet', 'no progress output')
    .action(
      guarded(async (flags: SweepFlags) => {
        const maxNetworks = numeric('--max-networks', flags.maxNetworks);
        const tasks = flags.tasks ?? flags.labels;
        if (tasks === undefined)
          throw new InputError('name the task columns with --tasks (e.g. --tasks last:6 or --tasks a,b,c)');
        const name = flags.name ?? `${basename(flags.data, extname(flags.data))}-pairwise`;
        if (flags.name === undefined && !/^[\w.-]+$/.test(name))
          throw new InputError(
            `the default analysis name '${name}' (from the data file's name) may hold only letters, digits, '.', '_' and '-': give one with --name, e.g. --name ${name.replace(/[^\w.-]+/g, '-')}`,
          );
        const spec = completeSpec(
          {
            name,
            data: flags.data,
            tasks,
            features: flags.features,
            taskKind: flags.taskKind,
            seeds: flags.seeds,
            groups: flags.groups,
            engine: {
              epochs: numeric('--epochs', flags.epochs),
              patience: numeric('--patience', flags.patience),
              hidden: numberList('--hidden', flags.hidden),
              learningRate: numeric('--lr', flags.lr),
              batchSize: numeric('--batch-size', flags.batchSize),
              ...(flags.taskWeights ? { taskWeights: numberList('--task-weights', flags.taskWeights) } : {}),
            },
            split:
              flags.split === 'kfold'
                ? { kind: 'kfold', folds: numeric('--folds', flags.folds) }
                : {
                    kind: 'holdout',
                    validation: numeric('--validation', flags.validation),
                    test: numeric('--test', flags.test),
                  },
            out: flags.out,
            backend: flags.backend,
            workers: flags.workers === undefined ? undefined : numeric('--workers', flags.workers),
            level: numeric('--level', flags.level),
            fdr: numeric('--fdr', flags.fdr),
            nullTasks: numeric('--null-tasks', flags.nullTasks),
            subtractNullBias: flags.subtractNullBias === true,
            untilReliability:
              flags.untilReliability === undefined ? undefined : numeric('--until-reliability', flags.untilReliability),
            maxMinutes: numeric('--max-minutes', flags.maxMinutes),
          },
          'tra sweep',
        );
        await runAnalysisOrShard(spec, flags.shard, flags.quiet, flags.queue, maxNetworks);
      }),
    );
}
