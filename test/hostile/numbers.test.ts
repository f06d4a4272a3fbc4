/**
 * Hostile inputs: numbers in every reader that is not the data CSV (that one is the csv table): the long loss format
 * as CSV and as JSON lines, Standley tables, journals and shard journals. One parser (a plain decimal: no hex, words,
 * separators), losses finite within 1e-100..1e100, seeds, folds and epochs within the journal's own limit; a refused
 * import leaves no folder.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type HostileCase,
  header,
  hostileTable,
  importLosses,
  lines,
  lossCsv,
  merge,
  records,
  withRecord,
  journal as onJournal,
} from '../helpers/hostile.js';

/** No output folder at all: the import was refused before it made one. */
const noFolder = (ws: string): void => assert.ok(!existsSync(join(ws, 'out')), 'no out/ folder');

/** losses.csv with line 2's cell `column` (loss, seed, ... or a new one) set to `value`. */
const cell = (column: string, value: string) => (text: string[]) => {
  const names = text[0].split(',');
  const at = names.indexOf(column);
  const head = at >= 0 ? text[0] : `${text[0]},${column}`;
  return [
    head,
    ...text.slice(1).map((line, k) => {
      const cells = line.split(',');
      if (at < 0) cells.push(k === 0 ? value : '');
      else if (k === 0) cells[at] = value;
      return cells.join(',');
    }),
  ];
};
/** `tra import losses.csv` with line 2's `column` set to `value`: refused naming line 2 and the column. */
const csvCase = (name: string, column: string, value: string, says: RegExp): HostileCase => ({
  name: `losses.csv: ${name}`,
  ...importLosses(cell(column, value)),
  code: 2,
  says: new RegExp(`losses\\.csv:2 column '${column}': ${says.source}`),
  then: noFolder,
});

/** losses.jsonl from losses.csv, with the first row's fields changed. */
const jsonLines = (change: Record<string, unknown>): Record<string, string> => {
  const [head, ...rows] = lossCsv()['losses.csv'].trim().split('\n');
  const names = head.split(',');
  const objects: Record<string, unknown>[] = rows.map((row) => {
    const cells = row.split(',');
    return Object.fromEntries(names.map((n, c) => [n, n === 'seed' || n === 'loss' ? Number(cells[c]) : cells[c]]));
  });
  objects[0] = { ...objects[0], ...change };
  return { 'losses.jsonl': lines(objects).replace('"__RAW__"', String(change.loss)) };
};
const jsonCase = (name: string, change: Record<string, unknown>, says: RegExp, raw?: string): HostileCase => {
  const files = jsonLines(change);
  if (raw) files['losses.jsonl'] = files['losses.jsonl'].replace(JSON.stringify(change.loss), raw);
  return {
    name: `losses.jsonl: ${name}`,
    files,
    args: ['import', 'losses.jsonl', '--out', 'out'],
    code: 2,
    says: new RegExp(`losses\\.jsonl:1 column '\\w+': ${says.source}`),
    then: noFolder,
  };
};

/** A Standley table of 3 tasks (half-size line, then singles and pairs as full-size networks), `bad` put in line 3. */
const standley = (bad?: string): Record<string, string> => {
  const table = (shift: number) =>
    [
      ['0.51', '0.52', '0.53'],
      ['0.41', '', ''],
      ['', '0.42', ''],
      ['', '', '0.43'],
      ['0.40', '0.44', ''],
      ['0.39', '', '0.45'],
      ['', '0.46', '0.47'],
    ]
      .map((row) => row.map((v) => (v === '' ? '' : (Number(v) + shift).toFixed(2))).join('\t'))
      .join('\n');
  const validation = table(0).split('\n');
  if (bad !== undefined) validation[2] = ['', bad, ''].join('\t');
  return { 'validation.txt': `${validation.join('\n')}\n`, 'test.txt': `${table(0.01)}\n` };
};
const standleyCase = (value: string, says: RegExp): HostileCase => ({
  name: `Standley table: a loss of ${value}`,
  files: standley(value),
  args: ['import', 'validation.txt', '--format', 'standley', '--test-table', 'test.txt', '--out', 'out'],
  code: 2,
  says: new RegExp(`validation\\.txt:3 column 'task 2': ${says.source}`),
  then: noFolder,
});

const RANGE = /a loss must lie between 1e-100 and 1e\+100 \(so that ratios of losses stay finite\), got /;
const NOT_FINITE = /expected a finite number \(plain decimal\), got /;

export const kind = 'numbers';
export const cases: HostileCase[] = [
  // the long format as CSV
  csvCase('hex loss', 'loss', '0x1', /expected a finite number \(plain decimal\), got "0x1"/),
  csvCase('binary loss', 'loss', '0b1', NOT_FINITE),
  csvCase('octal loss', 'loss', '0o7', NOT_FINITE),
  csvCase('Infinity spelled out', 'loss', 'Infinity', NOT_FINITE),
  csvCase('1e999', 'loss', '1e999', NOT_FINITE),
  csvCase('NaN', 'loss', 'NaN', NOT_FINITE),
  csvCase('digit separators', 'loss', '1_0', NOT_FINITE),
  csvCase('a subnormal loss (5e-324: gains would be -Infinity)', 'loss', '5e-324', RANGE),
  csvCase('a loss below the range', 'loss', '1e-101', RANGE),
  csvCase('a loss above the range', 'loss', '1e101', RANGE),
  csvCase('a negative loss', 'loss', '-0.5', /expected a positive loss, got -0\.5/),
  csvCase('a zero loss', 'loss', '0', /expected a positive loss, got 0/),
  csvCase('a seed of 2^53', 'seed', '9007199254740992', /expected an integer from 0 to 9007199254740991/),
  csvCase('a seed far beyond 2^53', 'seed', '123456789012345678901', /expected an integer from 0/),
  csvCase('a negative seed', 'seed', '-1', /expected an integer from 0/),
  csvCase('a fractional seed', 'seed', '1.5', /expected an integer from 0/),
  csvCase('a seed in exponent form', 'seed', '1e3', /expected an integer from 0/),
  csvCase('a hex seed', 'seed', '0x1', /expected an integer from 0/),
  csvCase('a fold of 2^53', 'fold', '9007199254740992', /expected an integer from 0 to 9007199254740991/),
  csvCase('epoch 0', 'epoch', '0', /expected an integer from 1/),
  csvCase('a hex cost', 'cost', '0x2', /expected a positive number, got "0x2"/),
  csvCase('a cost of 1e999', 'cost', '1e999', /expected a positive number, got "1e999"/),
  csvCase('a cost above the range', 'cost', '1e101', /expected a positive number up to 1e\+100/),
  csvCase('a negative cost', 'cost', '-1', /expected a positive number, got "-1"/),
  {
    ...csvCase('a hex per-example loss', 'examples', '0.1 0x2', /example 2 of 2: expected a finite loss of at least 0/),
    ...importLosses((l) =>
      cell('examples', '0.1 0x2')(l).map((line, k) => (k === 1 ? line.replace(',validation,', ',test,') : line)),
    ),
  },
  {
    ...csvCase('a subnormal per-example loss', 'examples', '0.1 5e-324', /example 2 of 2: a loss must lie between/),
    ...importLosses((l) =>
      cell('examples', '0.1 5e-324')(l).map((line, k) => (k === 1 ? line.replace(',validation,', ',test,') : line)),
    ),
  },
  {
    name: 'losses.csv: accuracy of 1 (an error of 0)',
    ...importLosses((l) => [
      l[0].replace('loss', 'accuracy'),
      ...l.slice(1).map((x, k) => (k === 0 ? x.replace(/[\d.]+$/, '1') : x)),
    ]),
    code: 2,
    says: /losses\.csv:2 column 'accuracy': an accuracy of 1 leaves an error of 0/,
    then: noFolder,
  },
  {
    name: 'losses.csv: accuracy in hex',
    ...importLosses((l) => [
      l[0].replace('loss', 'accuracy'),
      ...l.slice(1).map((x, k) => (k === 0 ? x.replace(/[\d.]+$/, '0x0') : x)),
    ]),
    code: 2,
    says: /losses\.csv:2 column 'accuracy': expected a finite number \(plain decimal\), got "0x0"/,
    then: noFolder,
  },
  // the long format as JSON lines
  jsonCase('a loss written as hex text', { loss: '0x1' }, /expected a finite number \(plain decimal\), got "0x1"/),
  jsonCase('a subnormal loss', { loss: 5e-324 }, RANGE),
  jsonCase('a loss of 1e999 (Infinity once parsed)', { loss: 1 }, NOT_FINITE, '1e999'),
  jsonCase('a loss of true', { loss: true }, NOT_FINITE),
  jsonCase('a loss that is a list', { loss: [0.5] }, NOT_FINITE),
  jsonCase('a seed of 2^53 + 2', { seed: 9007199254740994 }, /expected an integer from 0 to 9007199254740991/),
  jsonCase('a seed as text in exponent form', { seed: '1e3' }, /expected an integer from 0/),
  // Standley tables
  standleyCase('0x1', /expected a positive loss or an empty cell, got '0x1'/),
  standleyCase('Infinity', /expected a positive loss or an empty cell, got 'Infinity'/),
  standleyCase('5e-324', RANGE),
  standleyCase('1e101', RANGE),
  standleyCase('-1', /expected a positive loss, got -1/),
  standleyCase('0', /expected a positive loss, got 0/),
  standleyCase('1_0', /expected a positive loss or an empty cell, got '1_0'/),
  // journals (tra affinity) and shard journals (tra merge)
  {
    name: 'journal: a subnormal test loss',
    ...onJournal(withRecord(0, (r) => ({ ...r, testLoss: [5e-324] }))),
    code: 2,
    says: new RegExp(`run/journal\\.jsonl:2: bad network record: testLoss\\[0\\]: ${RANGE.source}5e-324`),
  },
  {
    name: 'journal: a validation loss above the range',
    ...onJournal(withRecord(3, (r) => ({ ...r, validationLoss: [0.5, 1e101] }))),
    code: 2,
    says: /journal\.jsonl:5: bad network record: validationLoss\[1\]: a loss must lie between/,
  },
  {
    name: 'journal: a per-epoch loss below the range',
    ...onJournal(withRecord(0, (r) => ({ ...r, byEpoch: [{ validation: [1e-200], test: [0.4] }] }))),
    code: 2,
    says: /journal\.jsonl:2: bad network record: byEpoch\[0\]\.validation\[0\]: a loss must lie between/,
  },
  {
    name: 'journal: a seed of 2^53',
    ...onJournal(withRecord(0, (r) => ({ ...r, seed: 2 ** 53 }))),
    code: 2,
    says: /journal\.jsonl:2: bad network record: seed: Too big/,
  },
  {
    name: 'journal: a zero loss of its own training is kept (control)',
    ...onJournal(lines([header(), ...records().map((r, i) => (i === 3 ? { ...r, testLoss: [0.4, 0] } : r))])),
    code: 0,
    says: /wrote run\/affinity\.json/,
  },
  {
    name: 'shard journal: a subnormal loss',
    ...merge(withRecord(2, (r) => ({ ...r, testLoss: [5e-324] }))),
    code: 2,
    says: /shard\/journal\.jsonl:4: bad network record: testLoss\[0\]: a loss must lie between/,
    then: (ws) => assert.ok(!existsSync(join(ws, 'merged/journal.jsonl'))),
  },
  {
    name: 'shard journal: a loss above the range',
    ...merge(withRecord(5, (r) => ({ ...r, validationLoss: [1e300, 0.4] }))),
    code: 2,
    says: /shard\/journal\.jsonl:7: bad network record: validationLoss\[0\]: a loss must lie between/,
  },
  {
    name: 'a plain import of the same numbers works (control)',
    ...importLosses(),
    code: 0,
    says: /wrote|imported/,
  },
];

hostileTable(kind, cases);
