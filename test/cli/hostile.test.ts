/**
 * Hostile inputs, one table: every case runs `tra` in-process on a fresh workspace (a data file, a definition, a
 * folder of the user's and a finished journal) and asserts the exit code, that the message names the place (file:line
 * column, field or flag), that no stack trace is printed, and that no file outside the case's output folder changed.
 * Every case fails validation before any training.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli } from '../../src/cli/program.js';
import { EXIT, reportError } from '../../src/cli/errors.js';
import { InputError } from '../../src/data/errors.js';
import { configHash, type SweepConfig } from '../../src/sweep/config.js';
import { pairwiseGroups, networkId } from '../../src/sweep/plan.js';
import { tempDir, validCsv } from '../helpers/files.js';

type Kind = 'csv' | 'flags' | 'definition' | 'output' | 'journal' | 'import' | 'queue';

interface Case {
  kind: Kind;
  name: string;
  /** Files to write into the workspace first (relative path → text), over the defaults. */
  files?: Record<string, string | Buffer>;
  args: string[];
  code: number;
  /** What stderr (or, for exit 0, stdout) must say. */
  says: RegExp;
  /** The folder the command may write into (relative to the workspace); default 'out'. */
  out?: string;
  /** Extra checks on the workspace afterwards. */
  then?: (ws: string) => void;
}

const QUICK = ['--quiet', '--epochs', '1', '--hidden', '4', '--seeds', '1', '--split', 'holdout'];
const sweep = (...args: string[]): string[] => [
  'sweep',
  '--data',
  'data.csv',
  '--tasks',
  'last:3',
  '--out',
  'out',
  ...QUICK,
  ...args,
];
const csv = (mutate: (lines: string[]) => string[]): Record<string, string> => ({ 'data.csv': validCsv(mutate) });
const row =
  (line: number, text: string) =>
  (lines: string[]): string[] =>
    lines.map((l, i) => (i === line - 1 ? text : l));
const column =
  (name: number, value: (i: number) => string) =>
  (lines: string[]): string[] =>
    lines.map((l, i) =>
      i === 0
        ? l
        : l
            .split(',')
            .map((cell, c) => (c === name ? value(i) : cell))
            .join(','),
    );

const definition = (fields: Record<string, unknown>): Record<string, string> => ({
  'def.json': JSON.stringify({
    name: 'd',
    data: 'data.csv',
    tasks: 'last:3',
    seeds: 1,
    split: { kind: 'holdout' },
    engine: { epochs: 1, hidden: [4] },
    out: 'out',
    ...fields,
  }),
});
const run = (fields: Record<string, unknown>): Pick<Case, 'files' | 'args'> => ({
  files: definition(fields),
  args: ['run', 'def.json', '--quiet'],
});
const auxiliary = (fields: Record<string, unknown>, ...args: string[]): Pick<Case, 'files' | 'args'> => ({
  files: definition(fields),
  args: ['auxiliary', 'def.json', '--main', 'a', '--quiet', ...args],
});

// A finished holdout journal of 3 tasks over seeds 0 and 1, written by hand so that no case trains.
const CONFIG: SweepConfig = {
  data: {
    source: 'data.csv',
    sha256: '0'.repeat(64),
    rows: 40,
    featureNames: ['f1', 'f2'],
    taskNames: ['a', 'b', 'r'],
    taskKinds: ['binary', 'binary', 'regression'],
  },
  engine: { hidden: [4], learningRate: 0.001, batchSize: 64, epochs: 1 },
  split: { kind: 'holdout', validation: 0.2, test: 0.2 },
};
const header = (config: unknown = CONFIG, hash = configHash(CONFIG)) => ({
  kind: 'header',
  version: 1,
  configHash: hash,
  config,
  plan: { seeds: [0, 1], groups: pairwiseGroups(3) },
  createdAt: '2026-01-01T00:00:00Z',
});
const records = (): Record<string, unknown>[] =>
  ['s0', 's1'].flatMap((replication, seed) =>
    pairwiseGroups(3).map((group, g) => {
      const losses = group.map((task) => 0.4 + 0.01 * task + 0.003 * g + 0.002 * seed);
      return {
        kind: 'network',
        id: networkId(replication, group),
        replication,
        seed,
        fold: 0,
        group,
        testLoss: losses,
        validationLoss: losses,
        bestEpoch: 1,
        backend: 'cpu',
        seconds: 0.1,
        finishedAt: '2026-01-01T00:00:01Z',
      };
    }),
  );
const lines = (entries: unknown[]): string => `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`;
/** The journal with record k (0-based; on line k + 2) changed. */
const withRecord = (k: number, change: (r: Record<string, unknown>) => Record<string, unknown>): string =>
  lines([header(), ...records().map((r, i) => (i === k ? change(r) : r))]);
const journal = (text: string, path = 'run/journal.jsonl'): Pick<Case, 'files' | 'args' | 'out'> => ({
  files: { [path]: text },
  args: ['affinity', 'run'],
  out: 'run',
});
const merge = (shard: string): Pick<Case, 'files' | 'args' | 'out'> => ({
  files: { 'shard/journal.jsonl': shard },
  args: ['merge', 'merged', 'shard/journal.jsonl'],
  out: 'merged',
});

const noJournal =
  (folder: string) =>
  (ws: string): void =>
    assert.ok(!existsSync(join(ws, folder, 'journal.jsonl')), `no journal in ${folder}`);

const CASES: Case[] = [
  // CSV: every value that reaches training is a float32, written in decimal; labels say what they are.
  {
    kind: 'csv',
    name: 'feature beyond float32',
    files: csv(row(3, '1e39,1,0,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:3 column 'f1': 1e39 is beyond the float32 range/,
  },
  {
    kind: 'csv',
    name: 'negative label beyond float32',
    files: csv(row(4, '1,1,0,-1e39,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:4 column 'b': -1e39 is beyond the float32 range/,
  },
  {
    kind: 'csv',
    name: '1e999 reads as Infinity',
    files: csv(row(5, '1,1e999,0,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:5 column 'f2': 1e999 is beyond the float32 range/,
  },
  {
    kind: 'csv',
    name: 'hex feature',
    files: csv(row(6, '0x1F,1,0,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:6 column 'f1': not a decimal number: '0x1F'/,
  },
  {
    kind: 'csv',
    name: 'hex label',
    files: csv(row(7, '1,1,0x1,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:7 column 'a': not a decimal number: '0x1'/,
  },
  {
    kind: 'csv',
    name: 'binary literal',
    files: csv(row(8, '0b11,1,0,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:8 column 'f1': not a decimal number/,
  },
  {
    kind: 'csv',
    name: 'Infinity spelled out',
    files: csv(row(9, 'Infinity,1,0,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:9 column 'f1': not a decimal number: 'Infinity'/,
  },
  {
    kind: 'csv',
    name: 'digit separators',
    files: csv(row(10, '1_000,1,0,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:10 column 'f1': not a decimal number/,
  },
  {
    kind: 'csv',
    name: 'regression target whose square overflows float32',
    files: csv(row(11, '1,1,0,1,3e20')),
    args: sweep(),
    code: 2,
    says: /data\.csv:11 column 'r': regression target .* squared error overflows float32/,
  },
  {
    kind: 'csv',
    name: 'labels coded -1/+1',
    files: csv(column(2, (i) => (i % 2 ? '1' : '-1'))),
    args: sweep(),
    code: 2,
    says: /data\.csv column 'a': two-valued task coded -1\/1: recode it to 0\/1 .*--task-kind regression/,
  },
  {
    kind: 'csv',
    name: 'labels coded 1/2',
    files: csv(column(3, (i) => (i % 3 ? '1' : '2'))),
    args: sweep(),
    code: 2,
    says: /column 'b': two-valued task coded 1\/2/,
  },
  {
    kind: 'csv',
    name: 'NaN cell',
    files: csv(row(12, '1,NaN,0,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:12 column 'f2': missing value 'NaN'/,
  },
  {
    kind: 'csv',
    name: 'empty cell',
    files: csv(row(13, '1,,0,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:13 column 'f2': missing value/,
  },
  {
    kind: 'csv',
    name: 'wrong field count',
    files: csv(row(14, '1,0,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:14: expected 5 fields as in the header, found 4/,
  },
  {
    kind: 'csv',
    name: 'duplicate header',
    files: csv(row(1, 'f1,f1,a,b,r')),
    args: sweep(),
    code: 2,
    says: /data\.csv:1 column 'f1': duplicate column name/,
  },
  {
    kind: 'csv',
    name: 'constant task',
    files: csv(column(3, () => '1')),
    args: sweep(),
    code: 2,
    says: /column 'b': task column is constant/,
  },
  {
    kind: 'csv',
    name: 'malformed quoting',
    files: csv(row(15, '1,"2,0,1,2')),
    args: sweep(),
    code: 2,
    says: /data\.csv:15: malformed quoting/,
  },
  {
    kind: 'csv',
    name: 'empty file',
    files: { 'data.csv': '' },
    args: sweep(),
    code: 2,
    says: /data\.csv: the file is empty/,
  },
  {
    kind: 'csv',
    name: 'too few rows',
    files: csv((l) => l.slice(0, 10)),
    args: sweep(),
    code: 2,
    says: /9 data rows; at least 30/,
  },
  {
    kind: 'csv',
    name: 'CR-only line ends keep line numbers',
    files: { 'data.csv': validCsv(row(16, '1,1,x,1,2')).replace(/\n/g, '\r') },
    args: sweep(),
    code: 2,
    says: /data\.csv:16 column 'a': not a decimal number: 'x'/,
  },
  {
    kind: 'csv',
    name: 'unknown task column',
    files: {},
    args: ['sweep', '--data', 'data.csv', '--tasks', 'a,zz', '--out', 'out', ...QUICK],
    code: 2,
    says: /--tasks names unknown column\(s\) 'zz'/,
  },
  {
    kind: 'csv',
    name: 'task also a feature',
    files: {},
    args: ['sweep', '--data', 'data.csv', '--tasks', 'a,b', '--features', 'f1,a', '--out', 'out', ...QUICK],
    code: 2,
    says: /column 'a' is named both as a task and as a feature/,
  },
  {
    kind: 'csv',
    name: 'missing data file',
    files: {},
    args: ['sweep', '--data', 'nope.csv', '--tasks', 'last:3', '--out', 'out', ...QUICK],
    code: 2,
    says: /nope\.csv: cannot read the file \(ENOENT\)/,
  },
  {
    kind: 'csv',
    name: 'data path is a folder',
    files: { 'dir.csv/x': '' },
    args: ['sweep', '--data', 'dir.csv', '--tasks', 'last:3', '--out', 'out', ...QUICK],
    code: 2,
    says: /dir\.csv: cannot read the file \(EISDIR\)/,
  },
  {
    kind: 'csv',
    name: 'binary kind forced on a regression column',
    files: {},
    args: sweep('--task-kind', 'binary'),
    code: 2,
    says: /column 'r': binary task needs 0 or 1/,
  },
  {
    kind: 'csv',
    name: "default name from 'my data.csv'",
    files: { 'my data.csv': validCsv() },
    args: ['sweep', '--data', 'my data.csv', '--tasks', 'last:3', ...QUICK],
    code: 2,
    says: /default analysis name 'my data-pairwise'.*--name/,
    out: 'reports',
  },

  // Flags: one range table, applied by every command.
  {
    kind: 'flags',
    name: 'sweep --fdr 5',
    files: {},
    args: sweep('--fdr', '5'),
    code: 2,
    says: /--fdr '5' must be a number strictly between 0 and 1 \(a share: 0\.05 for 5%\)/,
  },
  {
    kind: 'flags',
    name: 'sweep --level 2',
    files: {},
    args: sweep('--level', '2'),
    code: 2,
    says: /--level '2' must be a number strictly between 0 and 1/,
  },
  {
    kind: 'flags',
    name: 'affinity --fdr 5',
    ...journal(lines([header(), ...records()])),
    args: ['affinity', 'run', '--fdr', '5'],
    code: 2,
    says: /--fdr '5' must be/,
  },
  {
    kind: 'flags',
    name: 'affinity --level 2',
    ...journal(lines([header(), ...records()])),
    args: ['affinity', 'run', '--level', '2'],
    code: 2,
    says: /--level '2' must be/,
  },
  {
    kind: 'flags',
    name: 'affinity --level 0x1',
    ...journal(lines([header(), ...records()])),
    args: ['affinity', 'run', '--level', '0x1'],
    code: 2,
    says: /--level '0x1' is not a number/,
  },
  {
    kind: 'flags',
    name: 'group --budget 99 on 3 tasks',
    files: definition({}),
    args: ['group', 'def.json', '--budget', '99', '--quiet'],
    code: 2,
    says: /--budget 99: not in 1\.\.3/,
  },
  {
    kind: 'flags',
    name: 'group --budget 0',
    files: definition({}),
    args: ['group', 'def.json', '--budget', '0'],
    code: 2,
    says: /--budget '0' must be an integer from 1/,
  },
  {
    kind: 'flags',
    name: 'group --budgets 1,7',
    files: definition({}),
    args: ['group', 'def.json', '--budgets', '1,7', '--quiet'],
    code: 2,
    says: /--budgets: 7 not in 1\.\.3/,
  },
  {
    kind: 'flags',
    name: 'group --method',
    files: definition({}),
    args: ['group', 'def.json', '--method', 'magic'],
    code: 2,
    says: /--method 'magic'/,
  },
  {
    kind: 'flags',
    name: 'auxiliary --move-each -1',
    ...auxiliary({}, '--move-each', '-1'),
    code: 2,
    says: /--move-each '-1' must be an integer from 0/,
  },
  {
    kind: 'flags',
    name: 'auxiliary --recommend 0',
    ...auxiliary({}, '--recommend', '0'),
    code: 2,
    says: /--recommend '0' must be an integer from 1/,
  },
  {
    kind: 'flags',
    name: 'auxiliary --validate-seeds 2.5',
    ...auxiliary({}, '--validate', '--validate-seeds', '2.5'),
    code: 2,
    says: /--validate-seeds '2\.5' must be an integer/,
  },
  {
    kind: 'flags',
    name: 'proxies --every 0',
    files: definition({}),
    args: ['proxies', 'def.json', '--every', '0'],
    code: 2,
    says: /--every '0' must be an integer from 1/,
  },
  {
    kind: 'flags',
    name: 'proxies --every beyond the run',
    files: definition({}),
    args: ['proxies', 'def.json', '--every', '2'],
    code: 2,
    says: /--every 2: the all-task run takes only 1 steps, so it would keep no probe/,
  },
  {
    kind: 'flags',
    name: 'proxies --every 1.5',
    files: definition({}),
    args: ['proxies', 'def.json', '--every', '1.5'],
    code: 2,
    says: /--every '1\.5' must be an integer/,
  },
  {
    kind: 'flags',
    name: 'taxonomy --orders 0',
    files: definition({}),
    args: ['taxonomy', 'def.json', '--orders', '0'],
    code: 2,
    says: /--orders '0' must be an integer from 1/,
  },
  {
    kind: 'flags',
    name: 'taxonomy --beam -1',
    files: definition({}),
    args: ['taxonomy', 'def.json', '--beam', '-1'],
    code: 2,
    says: /--beam '-1' must be/,
  },
  {
    kind: 'flags',
    name: 'baselines --folds 1',
    files: {},
    args: ['baselines', '--data', 'data.csv', '--tasks', 'last:3', '--folds', '1', '--out', 'out'],
    code: 2,
    says: /--folds '1' must be an integer from 2/,
  },
  {
    kind: 'flags',
    name: 'baselines --seed -3',
    files: {},
    args: ['baselines', '--data', 'data.csv', '--tasks', 'last:3', '--seed', '-3', '--out', 'out'],
    code: 2,
    says: /--seed '-3' must be an integer from 0/,
  },
  {
    kind: 'flags',
    name: 'worker --workers 0',
    files: {},
    args: ['worker', '--queue', 'redis://127.0.0.1:1', '--workers', '0'],
    code: 2,
    says: /--workers '0' must be an integer from 1/,
  },
  {
    kind: 'flags',
    name: 'sweep --seeds 99999999999',
    files: {},
    args: ['sweep', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'out', '--quiet', '--seeds', '99999999999'],
    code: 2,
    says: /--seeds 99999999999: a count from 1 to 1000/,
  },
  {
    kind: 'flags',
    name: 'sweep --seeds 0',
    files: {},
    args: ['sweep', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'out', '--quiet', '--seeds', '0'],
    code: 2,
    says: /--seeds 0: a count from 1/,
  },
  {
    kind: 'flags',
    name: 'sweep --seeds list with a word',
    files: {},
    args: ['sweep', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'out', '--quiet', '--seeds', '1,x'],
    code: 2,
    says: /--seeds '1,x'/,
  },
  {
    kind: 'flags',
    name: 'sweep --hidden 100000000',
    files: {},
    args: sweep('--hidden', '100000000'),
    code: 2,
    says: /--hidden '100000000' must be an integer from 1 to 16384/,
  },
  {
    kind: 'flags',
    name: 'sweep --hidden too big for memory',
    files: {},
    args: sweep('--hidden', '16384,16384,16384,16384,16384'),
    code: 2,
    says: /GiB per network \(an estimate\).*--hidden/,
  },
  {
    kind: 'flags',
    name: 'sweep --task-weights negative',
    files: {},
    args: sweep('--task-weights', '1,-1,1'),
    code: 2,
    says: /--task-weights '1,-1,1' must be a number from 0/,
  },
  {
    kind: 'flags',
    name: 'sweep --task-weights wrong count',
    files: {},
    args: sweep('--task-weights', '1,1'),
    code: 2,
    says: /taskWeights has 2 entries for 3 tasks/,
  },
  {
    kind: 'flags',
    name: 'sweep --epochs 0',
    files: {},
    args: sweep('--epochs', '0'),
    code: 2,
    says: /--epochs '0' must be an integer from 1/,
  },
  {
    kind: 'flags',
    name: 'sweep --lr 0',
    files: {},
    args: sweep('--lr', '0'),
    code: 2,
    says: /--lr '0' must be a number strictly between 0 and 10/,
  },
  {
    kind: 'flags',
    name: 'sweep --batch-size 2.5',
    files: {},
    args: sweep('--batch-size', '2.5'),
    code: 2,
    says: /--batch-size '2\.5' must be an integer/,
  },
  {
    kind: 'flags',
    name: 'sweep --workers 0',
    files: {},
    args: sweep('--workers', '0'),
    code: 2,
    says: /--workers '0' must be an integer from 1/,
  },
  {
    kind: 'flags',
    name: 'sweep --patience -1',
    files: {},
    args: sweep('--patience', '-1'),
    code: 2,
    says: /--patience '-1' must be an integer from 0/,
  },
  {
    kind: 'flags',
    name: 'sweep --max-minutes 0',
    files: {},
    args: sweep('--max-minutes', '0'),
    code: 2,
    says: /--max-minutes '0' must be a number strictly between 0/,
  },
  {
    kind: 'flags',
    name: 'sweep --until-reliability 1.5',
    files: {},
    args: sweep('--until-reliability', '1.5'),
    code: 2,
    says: /--until-reliability '1\.5' must be a number strictly between 0 and 1/,
  },
  {
    kind: 'flags',
    name: 'sweep --validation + --test leave no rows',
    files: {},
    args: sweep('--validation', '0.6', '--test', '0.5'),
    code: 2,
    says: /split: validation \+ test must leave rows for training/,
  },
  {
    kind: 'flags',
    name: 'sweep --split kfold --folds 2',
    files: {},
    args: ['sweep', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'out', '--quiet', '--folds', '2'],
    code: 2,
    says: /split\.folds: Too small/,
  },
  {
    kind: 'flags',
    name: 'sweep --subtract-null-bias without --null-tasks',
    files: {},
    args: sweep('--subtract-null-bias'),
    code: 2,
    says: /subtractNullBias: subtractNullBias needs nullTasks > 0/,
  },
  {
    kind: 'flags',
    name: 'sweep --shard 3/2',
    files: {},
    args: sweep('--shard', '3/2'),
    code: 2,
    says: /--shard '3\/2'/,
  },
  {
    kind: 'flags',
    name: 'unknown option (commander)',
    files: {},
    args: sweep('--epoch', '3'),
    code: 2,
    says: /unknown option '--epoch'/,
  },
  {
    kind: 'flags',
    name: 'missing required option (commander)',
    files: {},
    args: ['sweep', '--tasks', 'last:3'],
    code: 2,
    says: /required option '--data <csv>' not specified/,
  },
  {
    kind: 'flags',
    name: 'unknown command (commander)',
    files: {},
    args: ['swep'],
    code: 2,
    says: /unknown command 'swep'/,
  },
  {
    kind: 'flags',
    name: 'bad choice (commander)',
    files: {},
    args: sweep('--split', 'bogus'),
    code: 2,
    says: /argument 'bogus' is invalid/,
  },
  {
    kind: 'flags',
    name: 'schema of an unknown kind',
    files: {},
    args: ['schema', 'bogus'],
    code: 2,
    says: /schema 'bogus': expected definition or record/,
  },

  // Definitions: typed at every depth, unknown fields rejected with their path, paths relative to the file.
  {
    kind: 'definition',
    name: 'split as a string',
    ...run({ split: 'holdout' }),
    code: 2,
    says: /def\.json: split: Invalid input/,
  },
  {
    kind: 'definition',
    name: 'typo inside split',
    ...run({ split: { kind: 'holdout', vaildation: 0.3 } }),
    code: 2,
    says: /def\.json: unknown field\(s\) split\.vaildation/,
  },
  {
    kind: 'definition',
    name: 'subtractNullBias "yes"',
    ...run({ subtractNullBias: 'yes', nullTasks: 1 }),
    code: 2,
    says: /subtractNullBias: Invalid input: expected boolean/,
  },
  { kind: 'definition', name: 'out 5', ...run({ out: 5 }), code: 2, says: /out: Invalid input: expected string/ },
  {
    kind: 'definition',
    name: 'engine [1, 2]',
    ...run({ engine: [1, 2] }),
    code: 2,
    says: /engine: Invalid input: expected object, received array/,
  },
  {
    kind: 'definition',
    name: 'hidden width as a string',
    ...run({ engine: { hidden: ['64'] } }),
    code: 2,
    says: /engine\.hidden\[0\]: Invalid input: expected number/,
  },
  {
    kind: 'definition',
    name: 'typo inside engine',
    ...run({ engine: { lr: 0.1 } }),
    code: 2,
    says: /unknown field\(s\) engine\.lr/,
  },
  {
    kind: 'definition',
    name: 'negative task weight',
    ...run({ engine: { taskWeights: [1, -2, 1] } }),
    code: 2,
    says: /engine\.taskWeights\[1\]: Too small/,
  },
  {
    kind: 'definition',
    name: 'out escapes the project',
    ...run({ out: '../../escaped' }),
    code: 2,
    says: /out '\.\.\/\.\.\/escaped' resolves to .* outside .*give an absolute path/,
  },
  { kind: 'definition', name: 'level 95', ...run({ level: 95 }), code: 2, says: /level: Too big/ },
  { kind: 'definition', name: 'seeds "a,b"', ...run({ seeds: 'a,b' }), code: 2, says: /--seeds 'a,b'/ },
  { kind: 'definition', name: 'name with a space', ...run({ name: 'my run' }), code: 2, says: /name: letters, digits/ },
  {
    kind: 'definition',
    name: 'data missing',
    files: { 'def.json': JSON.stringify({ name: 'd', tasks: 'last:3' }) },
    args: ['run', 'def.json'],
    code: 2,
    says: /def\.json: data: expected data \(a CSV path\), or a model whose loadData supplies the data/,
  },
  { kind: 'definition', name: 'taskKind bin', ...run({ taskKind: 'bin' }), code: 2, says: /taskKind: Invalid option/ },
  { kind: 'definition', name: 'backend gpu', ...run({ backend: 'gpu' }), code: 2, says: /backend: Invalid option/ },
  {
    kind: 'definition',
    name: 'nullTasks 1.5',
    ...run({ nullTasks: 1.5 }),
    code: 2,
    says: /nullTasks: Invalid input: expected int/,
  },
  {
    kind: 'definition',
    name: 'kfold with 2 folds',
    ...run({ split: { kind: 'kfold', folds: 2 } }),
    code: 2,
    says: /split\.folds: Too small/,
  },
  {
    kind: 'definition',
    name: 'auxiliaryOnly 5',
    ...auxiliary({ auxiliaryOnly: 5 }),
    code: 2,
    says: /def\.json: auxiliaryOnly: expected a list of column names or one comma-separated string/,
  },
  {
    kind: 'definition',
    name: 'smoother column as a number',
    ...auxiliary({ smoothers: { a: 3 } }),
    code: 2,
    says: /def\.json: smoothers\.a: Invalid input: expected string, received number/,
  },
  {
    kind: 'definition',
    name: 'auxiliaryOnly column that is not in the data',
    ...auxiliary({ auxiliaryOnly: ['later'] }),
    code: 2,
    says: /data\.csv: auxiliaryOnly names unknown column\(s\) 'later'/,
  },
  {
    kind: 'definition',
    name: 'smoother of a task that does not exist',
    ...auxiliary({ smoothers: { grade: 'r' }, tasks: 'a,b' }),
    code: 2,
    says: /smoothers names 'grade', not among the tasks a, b/,
  },
  {
    kind: 'definition',
    name: 'unknown top-level field',
    ...run({ epoch: 3 }),
    code: 2,
    says: /unknown field\(s\) epoch/,
  },
  {
    kind: 'definition',
    name: 'not JSON',
    files: { 'def.json': '{ name: d }' },
    args: ['run', 'def.json'],
    code: 2,
    says: /analysis definition def\.json: not valid JSON/,
  },
  {
    kind: 'definition',
    name: 'a JSON array',
    files: { 'def.json': '[1]' },
    args: ['run', 'def.json'],
    code: 2,
    says: /def\.json: expected a JSON object/,
  },
  {
    kind: 'definition',
    name: 'missing definition file',
    files: {},
    args: ['run', 'nope.json'],
    code: 2,
    says: /analysis definition nope\.json: cannot be read \(ENOENT\)/,
  },
  {
    kind: 'definition',
    name: 'data relative to the definition',
    files: { 'sub/def.json': definition({ data: 'data.csv', out: '../out' })['def.json'] },
    args: ['run', 'sub/def.json'],
    code: 2,
    says: /sub\/data\.csv: cannot read the file/,
  },

  // Output safety: never overwrite what tra did not write; validate before the journal exists.
  {
    kind: 'output',
    name: '--out at a folder of the user',
    files: { 'user/index.html': '<p>mine</p>', 'user/affinity.csv': 'mine' },
    args: ['sweep', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'user', ...QUICK],
    code: 2,
    says: /--out user holds files tra did not write \(affinity\.csv, index\.html\)/,
    out: 'none',
  },
  {
    kind: 'output',
    name: 'definition out at a folder of the user',
    files: { ...definition({ out: 'user' }), 'user/notes.txt': 'mine' },
    args: ['run', 'def.json', '--quiet'],
    code: 2,
    says: /--out .*user holds files tra did not write/,
    out: 'none',
  },
  {
    kind: 'output',
    name: 'baselines --out at a folder of the user',
    files: { 'user/baselines.json': '{}' },
    args: ['baselines', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'user'],
    code: 2,
    says: /--out user holds files tra did not write/,
    out: 'none',
  },
  {
    kind: 'output',
    name: 'report into a folder of the user',
    files: { 'user/affinity.json': '{}', 'user/index.html': 'mine' },
    args: ['report', 'user'],
    code: 2,
    says: /tra report user: index\.html there was not written by tra/,
    out: 'none',
  },
  {
    kind: 'output',
    name: 'auxiliary out at a folder of the user',
    files: { ...definition({ out: 'user' }), 'user/notes.txt': 'mine' },
    args: ['auxiliary', 'def.json', '--main', 'a', '--quiet'],
    code: 2,
    says: /--out .*user holds files tra did not write/,
    out: 'none',
  },
  {
    kind: 'output',
    name: '--out is a file',
    files: { afile: 'x' },
    args: ['sweep', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'afile', ...QUICK],
    code: 2,
    says: /--out afile: a file, not a folder/,
    out: 'none',
  },
  {
    kind: 'output',
    name: 'failed split check leaves no journal',
    files: {},
    args: sweep('--test', '0.01'),
    code: 2,
    says: /40 rows cannot be split into train\/validation\/test/,
    then: noJournal('out'),
  },

  // Journals: every line checked against the record schema, naming file:line.
  {
    kind: 'journal',
    name: 'a valid journal recomputes (control)',
    ...journal(lines([header(), ...records()])),
    code: 0,
    says: /wrote run\/affinity\.json/,
  },
  {
    kind: 'journal',
    name: 'a torn last line is skipped',
    ...journal(`${lines([header(), ...records()])}{"kind":"netw`),
    code: 0,
    says: /wrote run\/affinity\.json/,
  },
  {
    kind: 'journal',
    name: 'an identical duplicate is harmless',
    ...journal(lines([header(), ...records(), records()[0]])),
    code: 0,
    says: /wrote run\/affinity\.json/,
  },
  {
    kind: 'journal',
    name: 'loss null',
    ...journal(withRecord(1, (r) => ({ ...r, testLoss: [null] }))),
    code: 2,
    says: /run\/journal\.jsonl:3: bad network record: testLoss\[0\]: Invalid input: expected number, received null/,
  },
  {
    kind: 'journal',
    name: 'negative loss',
    ...journal(withRecord(2, (r) => ({ ...r, testLoss: [-0.5] }))),
    code: 2,
    says: /journal\.jsonl:4: bad network record: testLoss\[0\]: a loss cannot be negative/,
  },
  {
    kind: 'journal',
    name: 'loss 1e999',
    files: { 'run/journal.jsonl': withRecord(0, (r) => r).replace('"testLoss":[0.4]', '"testLoss":[1e999]') },
    args: ['affinity', 'run'],
    out: 'run',
    code: 2,
    says: /journal\.jsonl:2: bad network record: testLoss\[0\]: Invalid input: expected number, received Infinity/,
  },
  {
    kind: 'journal',
    name: 'partial record',
    ...journal(withRecord(3, ({ testLoss: _dropped, ...rest }) => rest)),
    code: 2,
    says: /journal\.jsonl:5: bad network record: testLoss: Invalid input: expected array/,
  },
  {
    kind: 'journal',
    name: 'two different records for one network',
    ...journal(lines([header(), ...records(), { ...records()[4], testLoss: [0.9, 0.9] }])),
    code: 2,
    says: /journal\.jsonl:14: network s0\/0\+2 has a different result than on line 6/,
  },
  {
    kind: 'journal',
    name: 'header configuration edited',
    ...journal(lines([header({ ...CONFIG, data: { ...CONFIG.data, taskNames: ['x', 'b', 'r'] } }), ...records()])),
    code: 2,
    says: /journal\.jsonl:1: bad journal header: the configuration does not match its hash/,
  },
  {
    kind: 'journal',
    name: 'header hash not a sha256',
    ...journal(lines([header(CONFIG, 'abc'), ...records()])),
    code: 2,
    says: /journal\.jsonl:1: bad journal header: configHash: a sha256 in hex/,
  },
  {
    kind: 'journal',
    name: 'corrupt line in the middle',
    files: { 'run/journal.jsonl': lines([header(), ...records()]).replace(/\n/, '\n{oops\n') },
    args: ['affinity', 'run'],
    out: 'run',
    code: 2,
    says: /journal\.jsonl:2: corrupt journal line \(not JSON\)/,
  },
  {
    kind: 'journal',
    name: 'no header line',
    ...journal(lines(records())),
    code: 2,
    says: /journal\.jsonl:1: not a sweep journal/,
  },
  { kind: 'journal', name: 'empty journal', ...journal(''), code: 2, says: /journal\.jsonl: empty journal/ },
  {
    kind: 'journal',
    name: 'losses for fewer tasks than the group',
    ...journal(withRecord(3, (r) => ({ ...r, testLoss: [0.4] }))),
    code: 2,
    says: /journal\.jsonl:5: bad network record: testLoss: 1 losses for a group of 2 tasks/,
  },
  {
    kind: 'journal',
    name: 'id that does not name the network',
    ...journal(withRecord(0, (r) => ({ ...r, id: 's0/2' }))),
    code: 2,
    says: /journal\.jsonl:2: bad network record: id: 's0\/2' does not name replication s0, group 0/,
  },
  {
    kind: 'journal',
    name: 'task index beyond the header',
    ...journal(lines([header(), ...records(), { ...records()[0], id: 's0/7', group: [7] }])),
    code: 2,
    says: /journal\.jsonl:14: network s0\/7 names task 7, but the header has 3 tasks/,
  },
  {
    kind: 'journal',
    name: 'unknown line kind',
    ...journal(lines([header(), ...records(), { kind: 'note' }])),
    code: 2,
    says: /journal\.jsonl:14: bad network record: kind: Invalid input: expected "network"/,
  },
  {
    kind: 'journal',
    name: 'bestEpoch as a string',
    ...journal(withRecord(0, (r) => ({ ...r, bestEpoch: '3' }))),
    code: 2,
    says: /journal\.jsonl:2: bad network record: bestEpoch: Invalid input: expected number, received string/,
  },
  {
    kind: 'journal',
    name: 'no journal in the folder',
    files: { 'run/x.txt': '' },
    args: ['affinity', 'run'],
    out: 'run',
    code: 2,
    says: /cannot read journal run\/journal\.jsonl \(ENOENT\)/,
  },

  // Imported results: shard journals merged into an analysis pass the same record schema.
  {
    kind: 'import',
    name: 'imported record with a null loss',
    ...merge(withRecord(5, (r) => ({ ...r, validationLoss: [null, 0.3] }))),
    code: 2,
    says: /shard\/journal\.jsonl:7: bad network record: validationLoss\[0\]: Invalid input: expected number, received null/,
    then: noJournal('merged'),
  },
  {
    kind: 'import',
    name: 'imported record with a NaN written as a string',
    ...merge(withRecord(1, (r) => ({ ...r, testLoss: ['NaN'] }))),
    code: 2,
    says: /shard\/journal\.jsonl:3: bad network record: testLoss\[0\]: Invalid input: expected number, received string/,
  },
  {
    kind: 'import',
    name: 'imported record without its group',
    ...merge(withRecord(2, ({ group: _dropped, ...rest }) => rest)),
    code: 2,
    says: /shard\/journal\.jsonl:4: bad network record: group: Invalid input: expected array/,
  },
  {
    kind: 'import',
    name: 'imported header with an edited configuration',
    ...merge(lines([header({ ...CONFIG, engine: { ...CONFIG.engine, epochs: 30 } }), ...records()])),
    code: 2,
    says: /shard\/journal\.jsonl:1: bad journal header: the configuration does not match its hash/,
  },
  {
    kind: 'import',
    name: 'imported results complete the analysis (control)',
    ...merge(lines([header(), ...records()])),
    code: 0,
    says: /merged 12 networks from 1 journals/,
  },
  {
    kind: 'import',
    name: 'the record schema is published',
    files: {},
    args: ['schema', 'record'],
    code: 0,
    says: /"testLoss"/,
    out: 'none',
  },

  // Queue: unreachable Redis and bad URLs are errors within seconds, not hangs.
  {
    kind: 'queue',
    name: 'sweep --queue with nothing listening',
    files: {},
    args: sweep('--queue', 'redis://127.0.0.1:1'),
    code: 2,
    says: /cannot reach the queue at redis:\/\/127\.0\.0\.1:1 after 5 attempts .*ECONNREFUSED/,
    then: noJournal('out'),
  },
  {
    kind: 'queue',
    name: 'worker with nothing listening',
    files: {},
    args: ['worker', '--queue', 'redis://127.0.0.1:1'],
    code: 2,
    says: /cannot reach the queue at redis:\/\/127\.0\.0\.1:1 after 5 attempts/,
  },
  {
    kind: 'queue',
    name: 'worker with a bad database number',
    files: {},
    args: ['worker', '--queue', 'redis://127.0.0.1:1/abc'],
    code: 2,
    says: /the database number 'abc' must be a non-negative integer/,
  },
  {
    kind: 'queue',
    name: 'sweep --queue with a bad database number',
    files: {},
    args: sweep('--queue', 'redis://127.0.0.1:1/-1'),
    code: 2,
    says: /the database number '-1'/,
  },
  {
    kind: 'queue',
    name: 'sweep --queue not redis',
    files: {},
    args: sweep('--queue', 'http://127.0.0.1:1'),
    code: 2,
    says: /only redis:\/\/ URLs are supported/,
  },
  {
    kind: 'queue',
    name: 'worker --queue not a URL',
    files: {},
    args: ['worker', '--queue', 'localhost'],
    code: 2,
    says: /--queue 'localhost' is not a URL/,
  },
  {
    kind: 'queue',
    name: 'sweep --queue with --shard',
    files: {},
    args: sweep('--queue', 'redis://127.0.0.1:1', '--shard', '1/2'),
    code: 2,
    says: /--shard and --queue do not mix/,
  },
];

/** Every file under `dir` except those in `skip`, with a hash of its bytes. */
function snapshot(dir: string, skip: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const rel = relative(dir, path);
      if (rel === skip || rel.startsWith(`${skip}/`)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.set(rel, createHash('sha1').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return files;
}

// What the CLI prints is captured per run; the test runner's own output (outside any run's context) passes through.
const capture = new AsyncLocalStorage<{ stdout: string; stderr: string }>();
for (const stream of ['stdout', 'stderr'] as const) {
  const original = process[stream].write.bind(process[stream]);
  process[stream].write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const output = capture.getStore();
    if (!output) return original(chunk, ...rest);
    output[stream] += String(chunk);
    return true;
  }) as typeof process.stdout.write;
}

/** Runs the CLI in this process with the workspace as working directory; collects what it prints. */
async function tra(ws: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = { stdout: '', stderr: '' };
  const cwd = process.cwd();
  process.chdir(ws);
  try {
    return { code: await capture.run(output, () => runCli(args)), ...output };
  } finally {
    process.chdir(cwd);
  }
}

test('the hostile-input table covers every kind of input', () => {
  const counts: Record<string, number> = {};
  for (const c of CASES) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
  process.stdout.write(`# hostile cases by kind: ${JSON.stringify(counts)} (${CASES.length} in all)\n`);
  assert.ok(CASES.length >= 60);
  for (const kind of ['csv', 'flags', 'definition', 'output', 'journal', 'import', 'queue'])
    assert.ok((counts[kind] ?? 0) >= 3, kind);
});

for (const c of CASES)
  test(`${c.kind}: ${c.name}`, async () => {
    const ws = tempDir();
    const files: Record<string, string | Buffer> = { 'data.csv': validCsv(), ...c.files };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(ws, path, '..'), { recursive: true });
      writeFileSync(join(ws, path), text);
    }
    const out = c.out ?? 'out';
    const before = snapshot(ws, out);
    const result = await tra(ws, c.args);
    assert.equal(result.code, c.code, `exit code; stderr: ${result.stderr}`);
    assert.match(c.code === 0 ? result.stdout : result.stderr, c.says, result.stderr);
    assert.doesNotMatch(result.stderr, /^\s+at .*:\d+:\d+\)?$/m, 'no stack trace');
    if (c.code !== 0)
      assert.equal(
        result.stderr
          .trim()
          .split('\n')
          .filter((l) => /^(tra|error):/.test(l)).length,
        1,
        'one error line',
      );
    assert.deepEqual(snapshot(ws, out), before, `only ${out}/ may change`);
    c.then?.(ws);
  });

test('an internal error (a bug) exits 70 with its own stack, marked as a bug in tra rather than in the input', async () => {
  const output = { stdout: '', stderr: '' };
  const code = capture.run(output, () =>
    reportError(new TypeError("Cannot read properties of undefined (reading 'testLoss')")),
  );
  assert.equal(code, EXIT.internal);
  assert.match(output.stderr, /^tra: internal error \(a bug in tra, not in your input; please report it/);
  assert.match(
    output.stderr,
    /TypeError: Cannot read properties of undefined[\s\S]*hostile\.test\.js/,
    'the trace starts where the bug is',
  );
  assert.equal(
    capture.run(output, () => reportError(new InputError('x'))),
    EXIT.input,
  );
});
