import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from '../../src/vendor/commander.js';
import { appendColumn, compareBaselines, comparisonText, type BaselineGrids } from '../../src/baselines/compare.js';
import { comparisonCsv } from '../../src/artefacts/baselines.js';
import { baselineData } from '../../src/baselines/data.js';
import { parseClusters } from '../../src/analysis/baselines.js';
import { registerBaselines } from '../../src/cli/baselines.js';
import { InputError } from '../../src/data/errors.js';
import { loadDataset } from '../../src/data/load.js';
import { holdoutSplit } from '../../src/data/split.js';
import { tempDir, validCsv, writeTemp } from '../helpers/files.js';

/** One or two grid points per family keep the yeast run to seconds. */
const smallGrids: BaselineGrids = {
  independent: [{ ridge: 0.1 }],
  pooled: [{ ridge: 0.1 }],
  meanRegularised: [
    { ridge: 0.1, pull: 0.1 },
    { ridge: 0.1, pull: 1 },
  ],
  clustered: [{ ridge: 0.1, within: 1, between: 0 }],
  convex: [{ ridge: 0.1, within: 1, between: 0, clusters: 2 }],
};

test('the comparison runs on (a slice of) yeast: finite per-task losses for every column, CSV and JSON round-trip', () => {
  const ds = loadDataset('analyses/data/yeast.csv', { tasks: 'last:14' });
  const slice = {
    ...ds,
    rows: 400,
    features: ds.features.subarray(0, 400 * ds.featureNames.length),
    targets: ds.targets.subarray(0, 400 * 14),
  };
  const { train, test: held } = baselineData(slice, holdoutSplit(slice.rows, 0));
  const table = compareBaselines(ds.taskNames, train, held, {
    folds: 3,
    seed: 0,
    groups: [
      [0, 1, 2],
      [3, 4],
    ],
    grids: smallGrids,
  });
  assert.deepEqual(
    table.columns.map((c) => c.name),
    ['independent', 'pooled', 'mean-regularised', 'clustered-known', 'clustered-learned'],
  );
  for (const column of table.columns) {
    assert.equal(column.perTask.length, 14);
    assert.ok(
      column.perTask.every((v) => Number.isFinite(v) && v > 0),
      `${column.name}: ${column.perTask}`,
    );
    assert.ok(Math.abs(column.total - column.perTask.reduce((a, b) => a + b, 0)) < 1e-12);
    assert.equal(column.details.converged, true, column.name);
  }
  // Binary cross-entropy of a useful model is below that of always predicting 1/2.
  assert.ok(table.columns[0].total < 14 * Math.log(2), `independent total BCE ${table.columns[0].total}`);
  const learned = table.columns[4].details;
  assert.equal((learned.similarity as number[][]).length, 14);
  assert.equal((learned.groups as number[][]).flat().length, 14);

  const extended = appendColumn(table, { name: 'neural-all', perTask: table.columns[0].perTask.map((v) => v * 0.9) });
  assert.equal(extended.columns.length, 6);
  assert.throws(() => appendColumn(table, { name: 'too-short', perTask: [1, 2] }), RangeError);
  assert.throws(() => appendColumn(table, { name: 'pooled', perTask: table.columns[0].perTask }), RangeError);

  const csv = comparisonCsv(extended).trim().split('\n');
  assert.equal(
    csv[0],
    'task,kind,loss,independent,pooled,mean-regularised,clustered-known,clustered-learned,neural-all',
  );
  assert.equal(csv.length, 1 + 14 + 1);
  assert.match(csv[15], /^total,,sum,/);
  assert.equal(Number(csv[1].split(',')[3]), table.columns[0].perTask[0]);
  assert.deepEqual(JSON.parse(JSON.stringify(extended)).columns[5].perTask, extended.columns[5].perTask);
  assert.equal(comparisonText(extended).split('\n').length, 1 + 14 + 1);
});

test('--clusters accepts indices or names; anything else is an InputError', () => {
  assert.deepEqual(parseClusters('0,1; 2', ['a', 'b', 'c']), [[0, 1], [2]]);
  assert.deepEqual(parseClusters('a,c;b', ['a', 'b', 'c']), [[0, 2], [1]]);
  assert.throws(
    () => parseClusters('0,7', ['a', 'b', 'c']),
    /--clusters: '7' is neither a task name nor a task index in 0\.\.2/,
  );
  assert.throws(() => parseClusters('a,x', ['a', 'b', 'c']), InputError);
});

test('the baselines command writes baselines.json and baselines.csv', async () => {
  const out = tempDir();
  const program = new Command('tra').exitOverride();
  registerBaselines(program);
  const csv = writeTemp('ok.csv', validCsv());
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  let printed = '';
  process.stdout.write = ((chunk: string) => {
    printed += chunk;
    return true;
  }) as typeof process.stdout.write;
  let progress = '';
  process.stderr.write = ((chunk: string) => {
    progress += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    await program.parseAsync(
      [
        'baselines',
        '--data',
        csv,
        '--tasks',
        'last:3',
        '--clusters',
        '0,1',
        '--cv-folds',
        '3',
        '--out',
        out,
        '--quiet',
      ],
      { from: 'user' },
    );
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
  assert.match(printed, /clustered-known/);
  assert.equal(progress, '', '--quiet: no progress line per baseline');
  const json = JSON.parse(readFileSync(join(out, 'baselines.json'), 'utf8'));
  assert.deepEqual(json.taskNames, ['a', 'b', 'r']);
  assert.deepEqual(json.metrics, ['bce', 'bce', 'mse']);
  assert.equal(json.tolerance.final, 1e-6);
  assert.deepEqual(json.columns.find((c: { name: string }) => c.name === 'clustered-known').details.groups, [
    [0, 1],
    [2],
  ]);
  assert.ok(existsSync(join(out, 'baselines.csv')));
  assert.equal(readFileSync(join(out, 'baselines.csv'), 'utf8').trim().split('\n').length, 1 + 3 + 1);
});
