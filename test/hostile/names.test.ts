/**
 * Hostile inputs: names. Task names a spreadsheet would evaluate (=, +, -, @) are written escaped into every CSV tra
 * writes (shown as text, never run); names with control characters (a newline breaks the terminal matrix) are refused
 * wherever a name comes in (data header, a loader's targets, the long format, a journal header, --tasks); two
 * spellings of one name (NFC and NFD) are refused with a hint.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvParseRows } from 'd3';
import { configHash } from '../../src/sweep/config.js';
import { validCsv } from '../helpers/files.js';
import {
  CONFIG,
  definition,
  type HostileCase,
  header,
  hostileTable,
  importLosses,
  journal,
  lines,
  lossCsv,
  records,
  row,
  sweep,
} from '../helpers/hostile.js';

/** data.csv with task columns named `a`, `b`, `r` instead (CSV-quoted as needed). */
const named = (a: string, b = 'b', r = 'r'): Record<string, string> => {
  const quote = (name: string) => (/[",\n\r]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name);
  return { 'data.csv': validCsv(row(1, ['f1', 'f2', a, b, r].map(quote).join(','))) };
};

/**
 * Every CSV tra wrote under `folder` holds no cell a spreadsheet would evaluate, and `name` appears escaped ('=…)
 * unless `shown` is false (the files do not name the tasks). The copies of imported files (imported/) are the user's.
 */
const spreadsheetSafe =
  (folder: string, name: string, shown = true) =>
  (ws: string): void => {
    const files = readdirSync(join(ws, folder), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.csv') && !f.startsWith('imported/'),
    );
    assert.ok(files.length > 0, `CSV files in ${folder}`);
    let escaped = 0;
    for (const file of files)
      for (const cells of csvParseRows(readFileSync(join(ws, folder, file), 'utf8')))
        for (const cell of cells) {
          const number = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell);
          assert.ok(!/^[=+\-@\t\r]/.test(cell) || number, `${folder}/${file}: a cell a spreadsheet would run: ${cell}`);
          if (cell.includes(`'${name}`)) escaped++;
        }
    if (shown) assert.ok(escaped > 0, `'${name} is in the CSVs, escaped`);
  };

const formula = (
  name: string,
  command: string,
  args: string[],
  files: HostileCase['files'] = {},
  shown = true,
): HostileCase => ({
  name: `${command}: a task named ${name} is escaped in the CSVs`,
  files: { ...named(name), ...files },
  args,
  code: 0,
  says: /./,
  then: spreadsheetSafe('out', name, shown),
});

/** The journal header with task names `names` (its hash recomputed: a hand-made header that looks consistent). */
const journalNamed = (names: string[]) => {
  const config = { ...CONFIG, data: { ...CONFIG.data, taskNames: names } };
  return lines([header(config, configHash(config)), ...records()]);
};

const refusedHeader = (name: string, what: string, says: RegExp): HostileCase => ({
  name: `data header: ${what}`,
  files: named(name),
  args: sweep(),
  code: 2,
  says,
  then: (ws) => assert.deepEqual(readdirSync(ws).includes('out'), false, 'no output folder'),
});

export const kind = 'names';
export const cases: HostileCase[] = [
  // formulas, escaped in every CSV
  formula('=1+1', 'sweep', sweep()),
  formula('+SUM(A1)', 'sweep', sweep()),
  formula('-2+3', 'sweep', sweep()),
  formula('@cmd', 'sweep', sweep()),
  formula('=HYPERLINK("http://x","y")', 'sweep', sweep()),
  formula('=1+1', 'group', ['group', 'def.json', '--quiet'], definition({})),
  formula('=1+1', 'baselines', ['baselines', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'out']),
  formula('=1+1', 'taxonomy', ['taxonomy', 'def.json', '--supervision-budgets', '1', '--quiet'], definition({})),
  formula('=1+1', 'proxies', ['proxies', 'def.json', '--every', '1'], definition({})),
  formula('=1+1', 'auxiliary', ['auxiliary', 'def.json', '--main', '=1+1', '--quiet'], definition({}), false),
  {
    name: 'import: a task named =SUM(A1) is escaped in the CSVs',
    ...importLosses((l) => l.map((line) => line.replace(/(^|[,+])a(?=[,+])/g, '$1=SUM(A1)'))),
    code: 0,
    says: /./,
    then: spreadsheetSafe('out', '=SUM(A1)'),
  },
  // control characters, refused where the name comes in
  refusedHeader(
    'a\nb',
    'a newline in a name',
    /data\.csv:1: column 3 of the header: the name "a\\nb" holds a control character \(U\+000A\); rename it/,
  ),
  refusedHeader('a\rb', 'a carriage return in a name', /the name "a\\rb" holds a control character \(U\+000D\)/),
  refusedHeader('a\tb', 'a tab in a name', /holds a control character \(U\+0009\)/),
  refusedHeader('\u001b[31ma', 'a terminal escape in a name', /holds a control character \(U\+001B\)/),
  refusedHeader('a\u0000', 'a NUL in a name', /holds a control character \(U\+0000\)/),
  refusedHeader('a\u0085b', 'a next-line character in a name', /holds a control character \(U\+0085\)/),
  refusedHeader('a\u2028b', 'a line separator in a name', /holds a control character \(U\+2028\)/),
  refusedHeader('a\u007f', 'a DEL in a name', /holds a control character \(U\+007F\)/),
  {
    name: 'data header: a newline in a feature name',
    files: { 'data.csv': validCsv(row(1, '"f\n1",f2,a,b,r')) },
    args: sweep(),
    code: 2,
    says: /data\.csv:1: column 1 of the header: the name "f\\n1" holds a control character/,
  },
  {
    name: 'long format (JSON lines): a newline in a task name',
    files: {
      'losses.jsonl': `${JSON.stringify({ network: 'a+b\nc', task: 'a', seed: 0, split: 'test', loss: 0.5 })}\n`,
    },
    args: ['import', 'losses.jsonl', '--out', 'out'],
    code: 2,
    says: /losses\.jsonl:1 column 'network': the name "a\+b\\nc" holds a control character \(U\+000A\)/,
  },
  {
    name: 'long format: an escape in the task column',
    files: lossCsv((l) => l.map((line, k) => (k === 1 ? line.replace(/,a,/, ',a\u001b,') : line))),
    args: ['import', 'losses.csv', '--out', 'out'],
    code: 2,
    says: /losses\.csv:2 column 'task': the name "a\\u001b" holds a control character \(U\+001B\)/,
  },
  {
    name: 'journal header: a task name with a newline (hash recomputed)',
    ...journal(journalNamed(['a', 'b\nx', 'r'])),
    code: 2,
    says: /run\/journal\.jsonl:1: bad journal header: config\.data\.taskNames\[1\]: the name "b\\nx" holds a control character/,
  },
  {
    name: 'journal header: a task name with an escape (hash recomputed)',
    ...journal(journalNamed(['\u001b]0;owned\u0007', 'b', 'r'])),
    code: 2,
    says: /bad journal header: config\.data\.taskNames\[0\]: the name .* holds a control character \(U\+001B\)/,
  },
  {
    name: 'a model loader target with a newline',
    files: {
      ...definition({ model: './model.mjs', data: undefined }),
      'model.mjs': `export function trunk(input, { tf }) { return tf.layers.dense({ units: 2 }).apply(input); }
export async function loadData() {
  const range = Array.from({ length: 40 }, (_, i) => i);
  return { features: range.map((i) => [i, i % 3]), targets: { 'a\\nb': range.map((i) => i % 2), b: range.map((i) => i % 3 ? 1 : 0), r: range } };
}
`,
    },
    args: ['run', 'def.json', '--quiet'],
    code: 2,
    says: /model\.mjs loadData\(\): target the name "a\\nb" holds a control character \(U\+000A\)/,
  },
  // two spellings of one name
  {
    name: 'data header: two spellings of café (NFC and NFD)',
    files: named('caf\u00e9', 'cafe\u0301'),
    args: sweep(),
    code: 2,
    says: /data\.csv:1: header: 'caf.+' and 'caf.+' differ only in Unicode normalisation \(U\+0063 U\+0061 U\+0066 U\+00E9 vs U\+0063 U\+0061 U\+0066 U\+0065 U\+0301\), so they look like one name; write both the same way \(NFC\)/,
  },
  {
    name: 'long format: two spellings of one task across rows',
    ...importLosses((l) =>
      l.map((line, k) =>
        k === 0
          ? line
          : k < 10
            ? line.replace(/(^|[,+])a(?=[,+])/g, '$1caf\u00e9')
            : line.replace(/(^|[,+])a(?=[,+])/g, '$1cafe\u0301'),
      ),
    ),
    code: 2,
    says: /losses\.csv:\d+ column 'network': 'caf.+' and 'caf.+' differ only in Unicode normalisation/,
  },
  {
    name: 'a model loader with two spellings of one target',
    files: {
      ...definition({ model: './model.mjs', data: undefined }),
      'model.mjs': `export function trunk(input, { tf }) { return tf.layers.dense({ units: 2 }).apply(input); }
export async function loadData() {
  const range = Array.from({ length: 40 }, (_, i) => i);
  return { features: range.map((i) => [i, i % 3]), targets: { 'caf\\u00e9': range.map((i) => i % 2), 'cafe\\u0301': range.map((i) => i % 3 ? 1 : 0), r: range } };
}
`,
    },
    args: ['run', 'def.json', '--quiet'],
    code: 2,
    says: /loadData\(\): targets 'caf.+' and 'caf.+' differ only in Unicode normalisation/,
  },
  {
    name: 'one spelling throughout is fine (control)',
    files: named('caf\u00e9', 'na\u00efve'),
    args: sweep(),
    code: 0,
    says: /café/,
  },
];

hostileTable(kind, cases);
