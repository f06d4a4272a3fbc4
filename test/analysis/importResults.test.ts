import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runImport as runImportOnly, type ImportOptions } from '../../src/analysis/import.js';
import { journalPathOf } from '../../src/analysis/pairwise.js';
import { resultLosses, type NetworkResult } from '../../src/data/resultFile.js';
import { readJournal, type NetworkRecord } from '../../src/sweep/journal.js';
import { tempDir } from '../helpers/files.js';
import { tra } from '../helpers/hostile.js';
import { longCsv, plantedLongRows, type LongRow } from '../helpers/losses.js';
import { written } from '../helpers/written.js';

const runImport = written(runImportOnly);
const TASKS = ['a', 'b', 'c'];
const options = (out: string): ImportOptions => ({ out, format: 'long', method: 'auto', level: 0.95, fdr: 0.05 });
const recordsOf = (out: string): Omit<NetworkRecord, 'finishedAt'>[] =>
  [...readJournal(journalPathOf(out)).records.values()].map(({ finishedAt: _time, ...record }) => record);

/** Each network of the long-format rows as the result file a training command would have written for it. */
function resultFiles(dir: string, rows: LongRow[]): string[] {
  const byNetwork = new Map<string, LongRow[]>();
  for (const r of rows)
    byNetwork.set(`${r.seed}/${r.network}`, [...(byNetwork.get(`${r.seed}/${r.network}`) ?? []), r]);
  return [...byNetwork].map(([key, own]) => {
    const tasks = Object.fromEntries(
      own[0].network.split('+').map((task) => {
        const loss = (split: string) => (own.find((r) => r.task === task && r.split === split) as LongRow).loss;
        return [task, { validation: loss('validation'), test: loss('test') }];
      }),
    );
    const folder = join(dir, 'runs', key.replace('/', '-'));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'result.json'), JSON.stringify({ seed: own[0].seed, tasks }));
    return join(folder, 'result.json');
  });
}

test("a training command's result files import as the same records as the long format holding their numbers; mixed with a long-format file too", async () => {
  const rows = plantedLongRows(TASKS, [0, 0, 1], 2);
  const dir = tempDir();
  writeFileSync(join(dir, 'all.csv'), longCsv(rows));
  await runImport(join(dir, 'all.csv'), options(join(dir, 'long')));
  const files = resultFiles(dir, rows);
  assert.equal(files.length, 12);
  const fromResults = await tra(dir, ['import', 'runs/*/result.json', '--task-names', 'a,b,c', '--out', 'results']);
  assert.equal(fromResults.code, 0, fromResults.stderr);
  const byId = (records: Omit<NetworkRecord, 'finishedAt'>[]) => Object.fromEntries(records.map((r) => [r.id, r]));
  assert.deepEqual(byId(recordsOf(join(dir, 'results'))), byId(recordsOf(join(dir, 'long'))));
  // seed 0 in the long format, seed 1 as result files, into one folder
  writeFileSync(join(dir, 'seed-0.csv'), longCsv(rows.filter((r) => r.seed === 0)));
  const mixed = await tra(dir, ['import', 'seed-0.csv', 'runs/1-*/result.json', '--out', 'mixed']);
  assert.equal(mixed.code, 0, mixed.stderr);
  assert.deepEqual(byId(recordsOf(join(dir, 'mixed'))), byId(recordsOf(join(dir, 'long'))));
});

test("a result file's record is the one the result contract makes: the given losses and epoch, per-epoch curves as the command's", async () => {
  const dir = tempDir();
  const rows = plantedLongRows(TASKS, [0, 0, 1], 2);
  resultFiles(dir, rows);
  // one network reports per-epoch curves and selected epoch 2, whose validation total is not the lowest
  const curved: NetworkResult = {
    seed: 0,
    epoch: 2,
    tasks: {
      a: { validation: 0.5, test: 0.45, epochs: { validation: [0.6, 0.5, 0.4], test: [0.55, 0.45, 0.41] } },
      b: { validation: 0.7, test: 0.65, epochs: { validation: [0.8, 0.7, 0.6], test: [0.75, 0.65, 0.62] } },
    },
  };
  // every network needs curves once one has them: give the others flat three-epoch curves
  const withCurves = (file: string): void => {
    const result = JSON.parse(readFileSync(file, 'utf8')) as NetworkResult;
    for (const losses of Object.values(result.tasks))
      losses.epochs = {
        validation: [losses.validation, losses.validation, losses.validation],
        test: [losses.test, losses.test, losses.test],
      };
    result.epoch = 1;
    writeFileSync(file, JSON.stringify(result));
  };
  for (const key of ['0-a', '0-b', '0-c', '0-a+c', '0-b+c', '1-a', '1-b', '1-c', '1-a+b', '1-a+c', '1-b+c'])
    withCurves(join(dir, 'runs', key, 'result.json'));
  writeFileSync(join(dir, 'runs', '0-a+b', 'result.json'), JSON.stringify(curved));
  const imported = await tra(dir, ['import', 'runs/*/result.json', '--out', 'out']);
  assert.equal(imported.code, 0, imported.stderr);
  const record = readJournal(journalPathOf(join(dir, 'out'))).records.get('s0/0+1') as NetworkRecord;
  const expected = resultLosses(curved, { tasks: ['a', 'b'], seed: 0, epochs: 3 });
  assert.deepEqual(
    {
      validationLoss: record.validationLoss,
      testLoss: record.testLoss,
      bestEpoch: record.bestEpoch,
      byEpoch: record.byEpoch,
    },
    { validationLoss: expected.validationLoss, testLoss: expected.testLoss, bestEpoch: 2, byEpoch: expected.byEpoch },
  );
  assert.deepEqual(record.validationLoss, [0.5, 0.7], 'the losses at the epoch the command selected');
});
