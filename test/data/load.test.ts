import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { loadDataset } from '../../src/data/load.js';
import { DataError, InputError } from '../../src/data/errors.js';
import { validCsv, writeTemp } from '../helpers/files.js';

const load = (text: string, options: Partial<Parameters<typeof loadDataset>[1]> = {}) =>
  loadDataset(writeTemp('data.csv', text), { tasks: 'last:3', ...options });

/** Asserts the load fails with a DataError/InputError whose message matches every pattern. */
function rejects(text: string, patterns: RegExp[], options: Partial<Parameters<typeof loadDataset>[1]> = {}) {
  assert.throws(
    () => load(text, options),
    (error: unknown) => {
      assert.ok(error instanceof InputError, `expected an InputError, got ${error}`);
      for (const p of patterns) assert.match((error as Error).message, p);
      return true;
    },
  );
}

test('a valid file loads with kinds detected per task', () => {
  const ds = load(validCsv());
  assert.deepEqual(ds.taskNames, ['a', 'b', 'r']);
  assert.deepEqual(ds.featureNames, ['f1', 'f2']);
  assert.deepEqual(ds.taskKinds, ['binary', 'binary', 'regression']);
  assert.equal(ds.rows, 40);
  assert.equal(ds.targets[1 * 3 + 0], 1);
  assert.equal(ds.features[3 * 2 + 0], 1.5);
});

test('named task columns and explicit features', () => {
  const ds = load(validCsv(), { tasks: 'r,a', features: 'f2' });
  assert.deepEqual(ds.taskNames, ['r', 'a']);
  assert.deepEqual(ds.featureNames, ['f2']);
});

test('a missing value names file, line and column', () => {
  rejects(
    validCsv((l) => {
      l[5] = '2.5,,1,0,7';
      return l;
    }),
    [/data\.csv:6 column 'f2': missing value/],
  );
});

test('a non-numeric value names its line and column', () => {
  rejects(
    validCsv((l) => {
      l[10] = '2.5,abc,1,0,7';
      return l;
    }),
    [/:11 column 'f2': not a decimal number: 'abc'/],
  );
});

test('line numbers count blank lines', () => {
  rejects(
    validCsv((l) => {
      l.splice(3, 0, '');
      l[8] = 'x,1,1,0,7';
      return l;
    }),
    [/:9 column 'f1'/],
  );
});

test('a constant task column is rejected', () => {
  const setA = (line: string) =>
    line
      .split(',')
      .map((cell, c) => (c === 2 ? '1' : cell))
      .join(',');
  rejects(
    validCsv((l) => [l[0], ...l.slice(1).map(setA)]),
    [/column 'a': task column is constant \(every row is 1\)/],
  );
});

test('a binary task with another value is rejected at its line', () => {
  rejects(
    validCsv((l) => {
      l[7] = '1,2,2,0,7';
      return l;
    }),
    [/:8 column 'a': binary task needs 0 or 1, found 2/],
    { taskKind: 'binary', tasks: 'a,b' },
  );
});

test('duplicate column names are rejected', () => {
  rejects(
    validCsv((l) => {
      l[0] = 'f1,f1,a,b,r';
      return l;
    }),
    [/:1 column 'f1': duplicate column name \(columns 1 and 2\)/],
  );
});

test('too few rows are rejected', () => {
  rejects(
    validCsv((l) => l.slice(0, 11)),
    [/10 data rows; at least 30/],
  );
});

test('unknown column names are rejected with the header listed', () => {
  rejects(validCsv(), [/unknown column\(s\) 'zz'/, /'f1', 'f2'/], { tasks: 'a,zz' });
});

test('a row with the wrong number of fields names its line', () => {
  rejects(
    validCsv((l) => {
      l[12] = '1,2,1';
      return l;
    }),
    [/:13: expected 5 fields as in the header, found 3/],
  );
});

test('an unreadable file is a DataError, not a crash', () => {
  assert.throws(
    () => loadDataset('/nonexistent/x.csv', { tasks: 'last:1' }),
    (e: unknown) => e instanceof DataError && /cannot read the file \(ENOENT\)/.test((e as Error).message),
  );
});

test('a task spec asking for every column is rejected', () => {
  rejects(validCsv(), [/asks for 5 task columns/], { tasks: 'last:5' });
});

test('a label column of integer codes 0/1/2 is fitted as regression with a note naming the column', () => {
  const ds = load(validCsv((l) => l.map((line, i) => (i === 0 ? line : line.replace(/,[^,]*$/, `,${i % 3}`)))));
  assert.equal(ds.taskKinds[2], 'regression');
  assert.match((ds.notes ?? []).join('\n'), /task 'r' holds the integer codes 0, 1, 2: fitted as regression/);
  assert.equal(load(validCsv()).notes, undefined, 'nothing to say about a plain file');
});

test('a file that is not UTF-8 loads with a note saying so', () => {
  const path = writeTemp('latin1.csv', '');
  writeFileSync(path, Buffer.concat([Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from(validCsv().slice(2))]));
  const ds = loadDataset(path, { tasks: 'last:3' });
  assert.equal(ds.featureNames[0], 'caf\uFFFD');
  assert.match((ds.notes ?? []).join('\n'), /latin1\.csv is not valid UTF-8/);
});

test('in a file with lone CR line ends, a bad cell is reported on its own line', () => {
  rejects(
    validCsv((l) => {
      l[6] = '1,2,x,0,1';
      return l;
    }).replace(/\n/g, '\r'),
    [/data\.csv:7 column 'a': not a decimal number: 'x'/],
  );
});
