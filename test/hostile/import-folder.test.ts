/**
 * Hostile inputs: imports of several files into one folder (tra import a.csv b.csv, patterns, tra import <folder>
 * more.csv). A contradiction between files names both; a refused import leaves the folder as it was.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HostileCase, hostileTable, snapshot, sweep, tra } from '../helpers/hostile.js';
import { longCsv, plantedLongRows, type LongRow } from '../helpers/losses.js';

export const kind = 'import-folder';

const ROWS = plantedLongRows(['a', 'b', 'c'], [0, 0, 1], 2);
const seed = (s: number, rows: LongRow[] = ROWS): LongRow[] => rows.filter((r) => r.seed === s);
/** Seed 0 in a.csv, seed 1 in b.csv. */
const TWO_SEEDS = { 'a.csv': longCsv(seed(0)), 'b.csv': longCsv(seed(1)) };
/** A CSV whose rows are `rows` with the columns changed by `cells`. */
const withColumns = (rows: LongRow[], cells: (row: LongRow, k: number) => Record<string, string | number>): string => {
  const table = rows.map((r, k) => ({ ...r, ...cells(r, k) }) as Record<string, unknown>);
  const names = Object.keys(table[0]);
  return `${[names.join(','), ...table.map((r) => names.map((n) => String(r[n] ?? '')).join(','))].join('\n')}\n`;
};

/** The folder as the setup's import left it, per workspace. */
const before = new Map<string, Map<string, string>>();
/** Imports `args` into out/ first; `then` checks that the refused import left out/ as it was. */
const importedFirst =
  (...args: string[]) =>
  async (ws: string): Promise<undefined> => {
    const first = await tra(ws, ['import', ...args, '--out', 'out']);
    assert.equal(first.code, 0, first.stderr);
    before.set(ws, snapshot(join(ws, 'out'), ''));
    return undefined;
  };
const unchanged = (ws: string): void => assert.deepEqual(snapshot(join(ws, 'out'), ''), before.get(ws));

/** a.csv and b.csv imported, the closed loop listed (tra group --validate), and its networks' losses written by `write`. */
const listedFirst =
  (write: (networks: { network: string; tasks: string[]; seed: number }[]) => string) =>
  async (ws: string): Promise<undefined> => {
    await importedFirst('a.csv', 'b.csv')(ws);
    const listing = await tra(ws, [
      'group',
      'out',
      '--validate',
      '--validate-seeds',
      '1',
      '--bootstrap',
      '2',
      '--quiet',
    ]);
    assert.equal(listing.code, 0, listing.stderr);
    const { networks } = JSON.parse(readFileSync(join(ws, 'out', 'closed-loop', 'networks.json'), 'utf8'));
    writeFileSync(join(ws, 'fresh.csv'), write(networks));
    before.set(ws, snapshot(join(ws, 'out'), ''));
    return undefined;
  };
/** Validation and test losses of the listed networks, each with `cells` changed. */
const freshRows =
  (keep: (k: number) => boolean = () => true, cells: (row: LongRow) => Record<string, string | number> = () => ({})) =>
  (networks: { network: string; tasks: string[]; seed: number }[]): string =>
    withColumns(
      networks
        .filter((_, k) => keep(k))
        .flatMap((n) =>
          n.tasks.flatMap((task) =>
            (['validation', 'test'] as const).map((split) => ({
              network: n.network,
              task,
              seed: n.seed,
              split,
              loss: 0.5,
            })),
          ),
        ),
      cells,
    );
const noFolder = (ws: string): void => assert.ok(!readdirSync(ws).includes('out'), 'out/ was not created');

export const cases: HostileCase[] = [
  {
    name: 'two files give one network other numbers',
    files: { 'a.csv': longCsv(ROWS), 'b.csv': longCsv(seed(1).map((r, k) => (k === 3 ? { ...r, loss: 0.123 } : r))) },
    args: ['import', 'a.csv', 'b.csv', '--out', 'out'],
    code: 2,
    says: /b\.csv:5 column 'loss': conflicting values: 0\.123 here, [\d.]+ at a\.csv:\d+/,
    then: noFolder,
  },
  {
    name: 'a file added later contradicts one the folder holds',
    files: { ...TWO_SEEDS, 'c.csv': longCsv(seed(0).map((r, k) => (k === 0 ? { ...r, loss: 9 } : r))) },
    setup: importedFirst('a.csv', 'b.csv'),
    args: ['import', 'out', 'c.csv'],
    code: 2,
    says: /c\.csv:2 column 'loss': conflicting values: 9 here, [\d.]+ at a\.csv:2/,
    then: unchanged,
  },
  {
    name: 'one file states accuracy, the other loss',
    files: {
      'a.csv': longCsv(seed(0)),
      'b.csv': withColumns(seed(1), () => ({}))
        .replace(/^(.*),loss$/m, '$1,accuracy')
        .replace(/,0\.(\d+)$/gm, ',0.$1'),
    },
    args: ['import', 'a.csv', 'b.csv', '--out', 'out'],
    code: 2,
    says: /b\.csv:2: states its metric as accuracy, but a\.csv states its metric as loss/,
    then: noFolder,
  },
  {
    name: 'one file is cross-fitted (a fold column), the other not',
    files: { 'a.csv': longCsv(seed(0)), 'b.csv': withColumns(seed(1), () => ({ fold: 0 })) },
    args: ['import', 'a.csv', 'b.csv', '--out', 'out'],
    code: 2,
    says: /b\.csv:2 column 'fold': has folds \(cross-fitted\), but a\.csv has no folds/,
    then: noFolder,
  },
  {
    name: 'one file has per-epoch rows, the other not',
    files: { 'a.csv': withColumns(seed(0), () => ({ epoch: 1 })), 'b.csv': longCsv(seed(1)) },
    args: ['import', 'a.csv', 'b.csv', '--out', 'out'],
    code: 2,
    says: /b\.csv:2 column 'epoch': has no per-epoch losses, but a\.csv has per-epoch losses/,
    then: noFolder,
  },
  {
    name: 'one file has per-example test losses, the other not',
    files: {
      'a.csv': longCsv(seed(0)),
      'b.csv': withColumns(seed(1), (r) => ({ examples: r.split === 'test' ? `${r.loss} ${r.loss}` : '' })),
    },
    args: ['import', 'a.csv', 'b.csv', '--out', 'out'],
    code: 2,
    says: /a\.csv:\d+ column 'examples': per-example losses on every test row or on none \(b\.csv:\d+ has them\)/,
    then: noFolder,
  },
  {
    name: 'a file added later names a task the folder does not have',
    files: { ...TWO_SEEDS, 'c.csv': longCsv(plantedLongRows(['a', 'b', 'e'], [0, 0, 1], 1)) },
    setup: importedFirst('a.csv', 'b.csv'),
    args: ['import', 'out', 'c.csv'],
    code: 2,
    says: /c\.csv:\d+ column 'network': unknown task 'e' \(tasks of out \(imported from a\.csv, b\.csv\): a, b, c\)/,
    then: unchanged,
  },
  {
    name: '--task-names other than the folder holds',
    files: { ...TWO_SEEDS },
    setup: importedFirst('a.csv'),
    args: ['import', 'out', 'b.csv', '--task-names', 'c,b,a'],
    code: 2,
    says: /--task-names c,b,a: out holds the tasks a, b, c/,
    then: unchanged,
  },
  {
    name: 'a file of the second seed misses a pair the first seed has',
    files: { 'a.csv': longCsv(seed(0)), 'b.csv': longCsv(seed(1).filter((r) => r.network !== 'b+c')) },
    args: ['import', 'a.csv', 'b.csv', '--out', 'out'],
    code: 2,
    says: /b\.csv:2 column 'seed': the network set has holes: replication s1 lacks \{b, c\} \(it holds 5 of the 6 singles and pairs; a\.csv hold the other replications\)/,
    then: noFolder,
  },
  {
    name: 'a file of a few groups on a fresh seed, before tra group --validate listed them',
    files: {
      ...TWO_SEEDS,
      'fresh.csv': longCsv(
        seed(0)
          .map((r) => ({ ...r, seed: 5 }))
          .filter((r) => r.network.length <= 1),
      ),
    },
    setup: importedFirst('a.csv', 'b.csv'),
    args: ['import', 'out', 'fresh.csv'],
    code: 2,
    says: /fresh\.csv:2 column 'seed': the network set has holes: replication s5 lacks \{a, b\} \{a, c\} \{b, c\}.*imported after `tra group <folder> --validate` has listed them/,
    then: unchanged,
  },
  {
    name: 'a pattern that matches no file',
    files: { ...TWO_SEEDS },
    args: ['import', 'seed-*.csv', '--out', 'out'],
    code: 2,
    says: /'seed-\*\.csv' matches no file/,
    then: noFolder,
  },
  {
    name: 'a missing file among several',
    files: { ...TWO_SEEDS },
    args: ['import', 'a.csv', 'missing.csv', 'b.csv', '--out', 'out'],
    code: 2,
    says: /missing\.csv: cannot read the file \(ENOENT\)/,
    then: noFolder,
  },
  {
    name: 'a folder to import into and --out naming another',
    files: { ...TWO_SEEDS },
    setup: importedFirst('a.csv'),
    args: ['import', 'out', 'b.csv', '--out', 'elsewhere'],
    code: 2,
    says: /out is a folder and --out names another: give the folder to import into once/,
    then: unchanged,
  },
  {
    name: 'a folder to import into and no file',
    files: { ...TWO_SEEDS },
    setup: importedFirst('a.csv'),
    args: ['import', 'out'],
    code: 2,
    says: /name the files of losses to import into out/,
    then: unchanged,
  },
  {
    name: "importing into a sweep's folder",
    files: { ...TWO_SEEDS },
    setup: async (ws) => {
      const trained = await tra(ws, sweep());
      assert.equal(trained.code, 0, trained.stderr);
      before.set(ws, snapshot(join(ws, 'out'), ''));
      return undefined;
    },
    args: ['import', 'out', 'a.csv'],
    code: 2,
    says: /out\/journal\.jsonl already holds other results \(a sweep's\)/,
    then: unchanged,
  },
  {
    name: 'a folder whose copy of an imported file was changed',
    files: { ...TWO_SEEDS },
    setup: async (ws) => {
      await importedFirst('a.csv')(ws);
      const copies = join(ws, 'out', 'imported');
      writeFileSync(join(copies, readdirSync(copies)[0]), longCsv(seed(1)));
      before.set(ws, snapshot(join(ws, 'out'), ''));
      return undefined;
    },
    args: ['import', 'out', 'b.csv'],
    code: 2,
    says: /the folder's copy of a\.csv is missing or changed since it was imported/,
    then: unchanged,
  },
  {
    name: 'two Standley tables as two files',
    files: { ...TWO_SEEDS },
    args: ['import', 'a.csv', 'b.csv', '--format', 'standley', '--test-table', 'b.csv', '--out', 'out'],
    code: 2,
    says: /--format standley reads one table of validation losses \(2 given\)/,
    then: noFolder,
  },
  {
    name: '--json without --validate',
    files: { ...TWO_SEEDS },
    setup: importedFirst('a.csv', 'b.csv'),
    args: ['group', 'out', '--json'],
    code: 2,
    says: /--json prints one list of networks to train on imported losses: give an imported folder and either --validate/,
    then: unchanged,
  },
  {
    name: '--json on a definition',
    files: {},
    args: ['group', 'data.csv', '--validate', '--json'],
    code: 2,
    says: /--json prints one list of networks to train on imported losses/,
    out: 'none',
  },
  {
    name: '--json with two lists asked for',
    files: { ...TWO_SEEDS },
    setup: importedFirst('a.csv', 'b.csv'),
    args: ['group', 'out', '--validate', '--train-higher-order', '--json'],
    code: 2,
    says: /--json prints one list of networks to train on imported losses: give an imported folder and either --validate/,
    then: unchanged,
  },
  {
    name: "the closed loop's networks at half size",
    files: { ...TWO_SEEDS },
    setup: listedFirst(freshRows(undefined, () => ({ cost: 0.5 }))),
    args: ['import', 'out', 'fresh.csv'],
    code: 2,
    says: /fresh\.csv:2 column 'cost': the closed loop's fresh replication s2 holds full-size networks only/,
    then: unchanged,
  },
  {
    name: "the closed loop's networks without validation losses",
    files: { ...TWO_SEEDS },
    setup: listedFirst((networks) =>
      freshRows()(networks)
        .split('\n')
        .filter((l) => !l.includes(',validation,'))
        .join('\n'),
    ),
    args: ['import', 'out', 'fresh.csv'],
    code: 2,
    says: /fresh\.csv:2: network \d+ of replication s2 lacks the validation loss of task a/,
    then: unchanged,
  },
  {
    name: "an edited list of the closed loop's networks",
    files: { ...TWO_SEEDS },
    setup: async (ws) => {
      await listedFirst(freshRows())(ws);
      const list = join(ws, 'out', 'closed-loop', 'networks.json');
      writeFileSync(list, readFileSync(list, 'utf8').replace('"seed": 2', '"seed": "2"'));
      before.set(ws, snapshot(join(ws, 'out'), ''));
      return undefined;
    },
    args: ['import', 'out', 'fresh.csv'],
    code: 2,
    says: /out\/closed-loop\/networks\.json networks\.networks\[0\]\.seed: expected a whole number/,
    then: unchanged,
  },
  {
    name: '--validate on an import without validation losses',
    files: { 'a.csv': longCsv(ROWS.filter((r) => r.split === 'test')) },
    setup: importedFirst('a.csv'),
    args: ['group', 'out', '--validate'],
    code: 2,
    says: /out\/journal\.jsonl: the imported losses have no validation split/,
    then: (ws) => {
      unchanged(ws);
      assert.ok(!readdirSync(join(ws, 'out')).includes('closed-loop'), 'no list');
    },
  },
  {
    name: '--validate with half the closed loop imported lists the rest (exit 0)',
    files: { ...TWO_SEEDS },
    setup: async (ws) => {
      await listedFirst(freshRows((k) => k % 2 === 0))(ws);
      const half = await tra(ws, ['import', 'out', 'fresh.csv']);
      assert.equal(half.code, 0, half.stderr);
      return undefined;
    },
    args: ['group', 'out', '--validate', '--validate-seeds', '1', '--bootstrap', '2', '--quiet'],
    code: 0,
    says: /closed loop: waiting for \d+ of the \d+ networks on fresh seeds 2[\s\S]*networks to train for the closed loop/,
  },
  {
    name: 'half the closed loop imported: the rest is listed (exit 0)',
    files: { ...TWO_SEEDS },
    setup: listedFirst(freshRows((k) => k % 2 === 0)),
    args: ['import', 'out', 'fresh.csv'],
    code: 0,
    says: /closed loop \(fresh seeds 2\): \d+ of the \d+ networks tra group --validate listed are imported; out\/closed-loop\/networks\.csv lists the rest/,
  },
  {
    name: 'files of the long format into a folder of a Standley table',
    files: {
      ...TWO_SEEDS,
      'val.txt': '0.5\t0.6\t0.7\n0.4\t\t\n\t0.5\t\n\t\t0.6\n0.35\t0.45\t\n0.36\t\t0.55\n\t0.44\t0.52\n',
    },
    setup: async (ws) => {
      const table = await tra(ws, [
        'import',
        'val.txt',
        '--format',
        'standley',
        '--test-table',
        'val.txt',
        '--out',
        'out',
      ]);
      assert.equal(table.code, 0, table.stderr);
      before.set(ws, snapshot(join(ws, 'out'), ''));
      return undefined;
    },
    args: ['import', 'out', 'a.csv'],
    code: 2,
    says: /out holds a Standley table \(val\.txt, val\.txt\): import files of the long format into another folder/,
    then: unchanged,
  },
  {
    name: 'a result file with a NaN loss',
    files: {
      ...TWO_SEEDS,
      'run/result.json': '{"seed": 2, "tasks": {"a": {"validation": NaN, "test": 0.5}}}',
    },
    args: ['import', 'a.csv', 'run/result.json', '--out', 'out'],
    code: 2,
    says: /run\/result\.json: not a valid result file: tasks\.a\.validation: NaN is not a finite number/,
    then: noFolder,
  },
  {
    name: 'two result files give one network other numbers',
    files: {
      ...TWO_SEEDS,
      'r1/result.json': JSON.stringify({ seed: 7, tasks: { a: { validation: 0.5, test: 0.4 } } }),
      'r2/result.json': JSON.stringify({ seed: 7, tasks: { a: { validation: 0.5, test: 0.41 } } }),
    },
    args: ['import', 'a.csv', 'b.csv', 'r1/result.json', 'r2/result.json', '--out', 'out'],
    code: 2,
    says: /r2\/result\.json:1 column 'loss': conflicting values: 0\.41 here, 0\.4 at r1\/result\.json:1/,
    then: noFolder,
  },
  {
    name: 'a result file with a fold among files without',
    files: {
      ...TWO_SEEDS,
      'run/result.json': JSON.stringify({ seed: 2, fold: 0, tasks: { a: { validation: 0.5, test: 0.4 } } }),
    },
    args: ['import', 'a.csv', 'b.csv', 'run/result.json', '--out', 'out'],
    code: 2,
    says: /run\/result\.json column 'fold': has folds \(cross-fitted\), but a\.csv has no folds/,
    then: noFolder,
  },
  {
    name: 'a result file for a task the folder does not have',
    files: {
      ...TWO_SEEDS,
      'run/result.json': JSON.stringify({ seed: 0, tasks: { e: { validation: 0.5, test: 0.4 } } }),
    },
    setup: importedFirst('a.csv', 'b.csv'),
    args: ['import', 'out', 'run/result.json'],
    code: 2,
    says: /run\/result\.json:1 column 'network': unknown task 'e' \(tasks of out/,
    then: unchanged,
  },
  {
    name: 'plan --json without --list',
    files: {},
    args: ['plan', 'def.json', '--json'],
    code: 2,
    says: /--json goes with --list/,
    out: 'none',
  },
  {
    name: 'plan --list on an imported folder',
    files: { ...TWO_SEEDS },
    setup: importedFirst('a.csv', 'b.csv'),
    args: ['plan', 'out', '--list'],
    code: 2,
    says: /out holds imported losses: nothing of it is trained here \(tra group out --validate lists the closed loop's networks to train\)/,
    then: unchanged,
  },
  {
    name: 'plan --list on a folder without a definition',
    files: { 'other/x.txt': 'x' },
    args: ['plan', 'other', '--list'],
    code: 2,
    says: /other holds no definition\.json \(written by tra sweep and tra run\), no journal and no imported losses/,
    out: 'none',
  },
  {
    name: 'two files of two seeds (control)',
    files: { ...TWO_SEEDS },
    args: ['import', 'a.csv', 'b.csv', '--out', 'out'],
    code: 0,
    says: /added a\.csv, b\.csv; the folder holds 12 networks of 3 tasks/,
  },
];

hostileTable(kind, cases);
