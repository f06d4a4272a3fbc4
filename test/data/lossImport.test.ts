import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/data/errors.js';
import { readLossFile } from '../../src/data/lossFile.js';
import { importLossFile } from '../../src/sweep/imported.js';
import { writeTemp } from '../helpers/files.js';
import { longCsv, longJsonLines, plantedExampleRows, plantedLongRows, type LongRow } from '../helpers/losses.js';

const TASKS = ['a', 'b', 'c'];
const rows = (): LongRow[] => plantedLongRows(TASKS, [0, 0, 1], 2);
const load = (text: string, name = 'losses.csv', taskNames?: string[]) =>
  importLossFile(readLossFile(writeTemp(name, text)), { taskNames });

/** The import fails with a DataError naming the file, line and (when given) column. */
function rejects(text: string, where: RegExp, problem: RegExp, name = 'losses.csv', taskNames?: string[]) {
  assert.throws(
    () => load(text, name, taskNames),
    (error: unknown) => {
      assert.ok(error instanceof DataError, `expected a DataError, got ${error}`);
      assert.match(error.message, where);
      assert.match(error.message, problem);
      return true;
    },
  );
}

test('a valid long-format file becomes one record per network and seed, in task order of appearance', () => {
  const { journal, notes } = load(longCsv(rows()));
  assert.deepEqual(journal.header.config.taskNames, TASKS);
  assert.deepEqual(journal.header.config.splits, ['validation', 'test']);
  assert.equal(journal.records.length, 2 * 6);
  const pair = journal.records.find((r) => r.id === 's1/0+2');
  const source = rows().filter((r) => r.seed === 1 && r.network === 'a+c' && r.split === 'test');
  assert.deepEqual(
    pair?.testLoss,
    source.map((r) => r.loss),
  );
  assert.equal(journal.header.config.imported.metric, 'loss');
  assert.deepEqual(notes.largerGroups, []);
});

test('CSV and JSON lines read the same; a JSON-lines header declares the schema version', () => {
  const csv = load(longCsv(rows())).journal.records;
  const jsonl = load(longJsonLines([{ schema: 'task-relations/losses', version: 1 }, ...rows()]), 'losses.jsonl')
    .journal.records;
  assert.deepEqual(
    jsonl.map((r) => [r.id, r.testLoss, r.validationLoss]),
    csv.map((r) => [r.id, r.testLoss, r.validationLoss]),
  );
  rejects(
    longJsonLines([{ schema: 'task-relations/losses', version: 3 }, ...rows()]),
    /losses\.jsonl:1/,
    /version 3; this tool reads task-relations\/losses versions 1 and 2/,
    'losses.jsonl',
  );
});

test('accuracy is declared by its column and imported as error 1 - accuracy', () => {
  const text = longCsv(rows())
    .replace('network,task,seed,split,loss', 'network,task,seed,split,accuracy')
    .replace(/,(0\.\d+)\n/g, (_, v) => `,${(1 - Number(v)).toFixed(6)}\n`);
  const { journal } = load(text);
  assert.equal(journal.header.config.imported.metric, 'accuracy');
  const single = journal.records.find((r) => r.id === 's0/0');
  assert.ok(single && Math.abs(single.testLoss[0] - rows()[0].loss) < 1e-6);
  rejects(text.replace(/(\n[^\n]*),0\.\d+\n/, '$1,1.5\n'), /losses\.csv:2 column 'accuracy'/, /lies in \[0, 1\]/);
});

test('every kind of bad row is rejected with its line and column', () => {
  const lines = longCsv(rows()).trimEnd().split('\n');
  const edit = (k: number, line: string): string =>
    `${[...lines.slice(0, k), line, ...lines.slice(k + 1)].join('\n')}\n`;
  rejects(edit(3, lines[3].replace(/,[^,]*$/, ',NaN')), /losses\.csv:4 column 'loss'/, /finite number/);
  rejects(
    edit(1, lines[1].replace(/^a,a/, 'a,b')),
    /losses\.csv:2 column 'task'/,
    /'b' is not one of the network's tasks/,
  );
  rejects(
    edit(3, lines[3].replace(/,(test|validation),/, ',train,')),
    /losses\.csv:4 column 'split'/,
    /expected validation or test/,
  );
  rejects(`${[...lines, lines[5]].join('\n')}\n`, /losses\.csv:\d+ column 'loss'/, /duplicate row .* as line 6/);
  rejects(
    `${[...lines, lines[5].replace(/,[^,]*$/, ',0.9')].join('\n')}\n`,
    /losses\.csv:\d+ column 'loss'/,
    /conflicting values: 0\.9 here/,
  );
  rejects(
    `${lines.map((l, k) => l + (k === 0 ? ',extra' : ',x')).join('\n')}\n`,
    /losses\.csv:1 column 'extra'/,
    /unknown field/,
  );
  rejects(longCsv(rows()), /losses\.csv:2 column 'network'/, /unknown task 'a' \(tasks: x, y\)/, 'losses.csv', [
    'x',
    'y',
  ]);
});

test('missing splits, holes in the network set and untrained pairs are errors that say what is missing', () => {
  const all = rows();
  const without = (drop: (r: LongRow) => boolean) => longCsv(all.filter((r) => !drop(r)));
  rejects(
    without((r) => r.network === 'a+b' && r.task === 'b' && r.split === 'validation' && r.seed === 0),
    /losses\.csv:\d+/,
    /network 0\+1 of replication s0 lacks the validation loss of task b/,
  );
  rejects(
    without((r) => r.network === 'b+c' && r.seed === 1),
    /losses\.csv:\d+ column 'seed'/,
    /holes: replication s1 lacks \{b, c\} \(it holds 5 of the 6 singles and pairs\): every replication of the sweep needs them all/,
  );
  rejects(
    without((r) => r.network === 'a+c' || r.network === 'b+c'),
    /losses\.csv/,
    /not trained: \{a, c\} \{b, c\}; the affinity needs every task alone and every pair \(2 of 6 missing\)/,
  );
  rejects(
    without((r) => r.split === 'test'),
    /losses\.csv/,
    /no test rows/,
  );
  const testOnly = load(without((r) => r.split === 'validation'));
  assert.deepEqual(testOnly.notes.missingSplits, ['validation']);
});

test('per-epoch rows: the reported losses are the best validation epoch, byEpoch what stopping early would have reported', () => {
  const epochRows: LongRow[] = [];
  for (const network of ['a', 'b', 'a+b'])
    for (let epoch = 1; epoch <= 3; epoch++)
      for (const task of network.split('+'))
        for (const split of ['validation', 'test'] as const) {
          // validation is lowest at epoch 2; test keeps falling
          const loss =
            (split === 'validation' ? [0.6, 0.5, 0.55][epoch - 1] : 0.5 - 0.05 * epoch) + (task === 'b' ? 0.1 : 0);
          epochRows.push({ network, task, seed: 0, split, loss, epoch });
        }
  const { journal } = load(longCsv(epochRows));
  const single = journal.records.find((r) => r.id === 's0/0');
  assert.equal(single?.bestEpoch, 2);
  assert.deepEqual(single?.testLoss, [0.4]);
  assert.deepEqual(
    single?.byEpoch?.map((e) => e.test[0]),
    [0.45, 0.4, 0.4],
  );
  assert.equal(journal.header.config.epochs, 3);
  rejects(
    longCsv(epochRows.filter((_, k) => k !== 3)),
    /losses\.csv:\d+/,
    /lacks the test loss of task a at epoch 2 \(per-epoch rows run 1\.\.3\)/,
  );
});

test('per-example test losses: CSV cells and JSON arrays read the same; wrong lengths, NaN, gaps and validation rows are refused with line and column', () => {
  const planted = plantedExampleRows(TASKS, [0, 0, 1], 2, 5);
  const csv = load(longCsv(planted));
  const jsonl = load(longJsonLines([{ schema: 'task-relations/losses', version: 2 }, ...planted]), 'losses.jsonl');
  const pair = planted.filter((r) => r.network === 'a+c' && r.seed === 1 && r.split === 'test').map((r) => r.examples);
  assert.deepEqual(csv.journal.examples?.get('s1/0+2'), pair);
  assert.deepEqual([...(jsonl.journal.examples ?? [])], [...(csv.journal.examples ?? [])]);
  assert.equal(csv.journal.header.config.imported.version, 2, 'the source needs schema version 2');
  assert.equal(
    load(longCsv(rows())).journal.header.config.imported.version,
    1,
    'a file without the new fields stays version 1 (same configuration hash as before)',
  );

  const lines = longCsv(planted).trimEnd().split('\n');
  const testLine = lines.findIndex((l, k) => k > 0 && l.includes(',test,'));
  const edit = (k: number, line: string): string =>
    `${[...lines.slice(0, k), line, ...lines.slice(k + 1)].join('\n')}\n`;
  const where = new RegExp(`losses\\.csv:${testLine + 1} column 'examples'`);
  rejects(
    edit(testLine, lines[testLine].replace(/ [^ ,]+$/, ' NaN')),
    where,
    /example 5 of 5: expected a finite loss of at least 0, got "NaN"/,
  );
  rejects(
    edit(testLine, lines[testLine].replace(/ [^ ,]+$/, '')),
    /losses\.csv:\d+ column 'examples'/,
    /\d per-example losses, but line \d+ of the same replication \(s0\) has \d: every network is scored on the same test examples/,
  );
  rejects(
    edit(testLine, lines[testLine].replace(/,[^,]*$/, ',')),
    where,
    /per-example losses on every test row or on none \(line \d+ has them\)/,
  );
  const validationLine = lines.findIndex((l) => l.includes(',validation,'));
  rejects(
    edit(validationLine, `${lines[validationLine]}0.5 0.5 0.5 0.5 0.5`),
    new RegExp(`losses\\.csv:${validationLine + 1} column 'examples'`),
    /belong to test rows/,
  );
  rejects(
    longJsonLines([{ schema: 'task-relations/losses', version: 1 }, ...planted]),
    /losses\.jsonl:\d+ column 'examples'/,
    /a field of version 2, but the file declares version 1/,
    'losses.jsonl',
  );
  rejects(
    longJsonLines([{ ...planted[0], examples: [0.1, null] }, ...planted.slice(1)]),
    /losses\.jsonl:1 column 'examples'/,
    /example 2 of 2/,
    'losses.jsonl',
  );
});

test('a cost column: networks at another cost are kept beside the journal, each checked like the rest', () => {
  const half = (r: LongRow) => ({ ...r, cost: 0.5 });
  const base = rows().map((r) => ({ ...r }));
  const singles = base.filter((r) => !r.network.includes('+'));
  const { journal } = load(longJsonLines([...base, ...singles.map(half)]), 'losses.jsonl');
  assert.equal(journal.records.length, 12, 'the journal holds the full-size networks');
  assert.deepEqual(
    journal.costed.map((c) => [c.record.id, c.cost]),
    ['s0/0', 's0/1', 's0/2', 's1/0', 's1/1', 's1/2'].map((id) => [id, 0.5]),
  );
  rejects(
    longJsonLines([...base, { ...half(singles[0]), cost: 0 }]),
    new RegExp(`losses\\.jsonl:${base.length + 1} column 'cost'`),
    /expected a positive number, got 0/,
    'losses.jsonl',
  );
  rejects(
    longJsonLines([...base, ...singles.filter((r) => r.seed === 0).map(half)]),
    /column 'network'/,
    /holes: network \{a\} at cost 0\.5 has no rows for replication\(s\) s1/,
    'losses.jsonl',
  );
  rejects(
    longJsonLines([...base.filter((r) => r.network !== 'a'), ...singles.filter((r) => r.network === 'a').map(half)]),
    /losses\.jsonl/,
    /not trained: \{a\}; the affinity needs every task alone and every pair \(1 of 6 missing\), at full size \(cost 1\)/,
    'losses.jsonl',
  );
});
