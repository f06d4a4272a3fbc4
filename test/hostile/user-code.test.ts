/**
 * Hostile inputs: the user's model module (a definition's "model"). Its import, loadData(), trunk() and the layers
 * it builds may end the process, leave a promise pending for ever or loop without end, at load time or during
 * training: each is one line naming the module and the call, exit 2, no journal, nothing changed outside out/. The
 * hangs run with a watchdog of a few seconds (`--watchdog`). A user's model never trains on the native trainer and the
 * watchdog is the same on every tfjs backend, while each case loads tfjs in two threads (seconds): the table runs on
 * one CI leg, the native one.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readJournal } from '../../src/sweep/journal.js';
import { definition, type HostileCase, hostileTable, noJournal } from '../helpers/hostile.js';

/** def.json using model.mjs (with `source` as its text) on data.csv, or on its own loadData when `loads`. */
const model = (source: string, loads = false, fields: Record<string, unknown> = {}): HostileCase['files'] => ({
  ...definition({ model: './model.mjs', ...(loads ? { data: undefined } : {}), ...fields }),
  'model.mjs': source,
});
const TRUNK = 'export function trunk(input, { tf }) { return tf.layers.dense({ units: 4 }).apply(input); }\n';
/** A loadData giving 40 rows of 2 features and tasks a, b (binary) and r. */
const LOAD_DATA = `export async function loadData() {
  const features = Array.from({ length: 40 }, (_, i) => [i / 40, (i * 7) % 11]);
  const range = Array.from({ length: 40 }, (_, i) => i);
  return { features, targets: { a: range.map((i) => i % 2), b: range.map((i) => (i % 3 ? 0 : 1)), r: range.map((i) => i * 1.5) } };
}
`;
/** A trunk with a layer whose call() runs `body` (with `calls`, counted in this thread) on every forward pass. */
const layer = (body: string): string => `let calls = 0;
export function trunk(input, { tf }) {
  class Odd extends tf.layers.Layer {
    static className = 'Odd';
    call(inputs) { calls++; ${body}; return Array.isArray(inputs) ? inputs[0] : inputs; }
    computeOutputShape(shape) { return shape; }
  }
  return new Odd().apply(tf.layers.dense({ units: 4 }).apply(input));
}
`;
/** Enough training for a layer's 20th call to come after the probe's (a few) and within training (90 calls). */
const FIVE_EPOCHS = { engine: { epochs: 5, hidden: [4] } };
/** Stopped in training: the journal holds its header and no network. */
const nothingRecorded = (ws: string): void => assert.equal(readJournal(join(ws, 'out/journal.jsonl')).records.size, 0);
const run = (...args: string[]): string[] => ['run', 'def.json', '--quiet', ...args];
const named = (call: string, what: string): RegExp =>
  new RegExp(`^tra: model \\S*model\\.mjs: ${call.replace(/[()]/g, '\\$&')} ${what}`, 'm');
const exited = (call: string, code: number): RegExp =>
  named(call, `called process\\.exit\\(${code}\\); a model module must return or throw, never end the process`);
const hung = (call: string, seconds: number): RegExp =>
  named(
    call,
    `did not finish within ${seconds} s \\(an endless loop, or a wait without end\\?\\); if it needs longer, give --watchdog <seconds>`,
  );

const oneLeg =
  process.env.TRA_BACKEND && process.env.TRA_BACKEND !== 'native'
    ? 'the watchdog does not depend on the backend: this table runs on the native leg'
    : undefined;

export const kind = 'user-code';
export const cases: HostileCase[] = [
  // exits
  {
    name: 'process.exit at import',
    files: model(`process.exit(0);\n${TRUNK}`),
    args: run(),
    code: 2,
    says: exited('import', 0),
  },
  {
    name: 'process.exit in loadData()',
    files: model(`${TRUNK}export async function loadData() { process.exit(3); }\n`, true),
    args: run(),
    code: 2,
    says: exited('loadData()', 3),
  },
  {
    name: 'process.exit in trunk()',
    files: model('export function trunk() { process.exit(0); }\n'),
    args: run(),
    code: 2,
    says: exited('trunk()', 0),
  },
  {
    name: 'process.exit in a layer on the first forward pass',
    files: model(layer('process.exit(0)')),
    args: run(),
    code: 2,
    says: exited('trunk()', 0),
  },
  {
    name: 'process.exit in a layer once training is under way',
    files: model(layer('if (calls > 20) process.exit(0)'), false, FIVE_EPOCHS),
    args: run(),
    code: 2,
    says: exited('training (trunk() or a layer)', 0),
    then: nothingRecorded,
  },
  // promises that never settle
  {
    name: 'a top-level await that never settles',
    files: model(`await new Promise(() => {});\n${TRUNK}`),
    args: run(),
    code: 2,
    says: named('its top-level await', 'never settles \\(its promise was left pending with nothing to wait for\\)'),
  },
  {
    name: 'loadData() that never settles',
    files: model(`${TRUNK}export function loadData() { return new Promise(() => {}); }\n`, true),
    args: run(),
    code: 2,
    says: named('loadData()', 'never settles'),
  },
  {
    name: 'loadData() that waits for ever on a timer',
    files: model(
      `${TRUNK}export function loadData() { return new Promise(() => setInterval(() => {}, 1000)); }\n`,
      true,
    ),
    args: run('--watchdog', '3'),
    code: 2,
    says: hung('loadData()', 3),
  },
  // endless loops
  {
    name: 'an endless loop at import',
    files: model(`while (true) {}\n${TRUNK}`),
    args: run('--watchdog', '3'),
    code: 2,
    says: hung('import', 3),
  },
  {
    name: 'an endless loop in loadData()',
    files: model(`${TRUNK}export async function loadData() { while (true) {} }\n`, true),
    args: run('--watchdog', '3'),
    code: 2,
    says: hung('loadData()', 3),
  },
  {
    name: 'an endless loop in trunk()',
    files: model('export function trunk() { for (;;) {} }\n'),
    args: run('--watchdog', '3'),
    code: 2,
    says: hung('trunk()', 3),
  },
  {
    name: 'an endless loop in a layer once training is under way (definition watchdog)',
    files: model(layer('if (calls > 20) for (;;) {}'), false, { ...FIVE_EPOCHS, watchdog: 3 }),
    args: run(),
    code: 2,
    says: named(
      'training',
      'did not finish an epoch within 3 s \\(an endless loop in trunk\\(\\) or a layer\\?\\); if it needs longer, give --watchdog <seconds>',
    ),
    then: nothingRecorded,
  },
  // modules that do not fit the contract
  {
    name: 'a module that throws at import',
    files: model(`throw new Error('no GPU here');\n${TRUNK}`),
    args: run(),
    code: 2,
    says: /model \S*model\.mjs: cannot be imported as an ES module \(no GPU here\)/,
  },
  {
    name: 'a module with a syntax error',
    files: model('export function trunk( {'),
    args: run(),
    code: 2,
    says: /model \S*model\.mjs: cannot be imported as an ES module \(.*\)/,
  },
  {
    name: 'no trunk export',
    files: model('export const model = 1;\n'),
    args: run(),
    code: 2,
    says: /model \S*model\.mjs: no 'trunk' export \(expected: export function trunk.*exports found: model\)/,
  },
  {
    name: 'trunk is not a function',
    files: model('export const trunk = 3;\n'),
    args: run(),
    code: 2,
    says: /'trunk' is a number, not a function/,
  },
  {
    name: 'loadData is not a function',
    files: model(`${TRUNK}export const loadData = [];\n`, true),
    args: run(),
    code: 2,
    says: /'loadData' is a object, not a function/,
  },
  {
    name: 'trunk() throws',
    files: model("export function trunk() { throw new Error('shape?'); }\n"),
    args: run(),
    code: 2,
    says: /model \S*model\.mjs: trunk threw on input shape \[2\]: shape\?/,
  },
  {
    name: 'trunk() returns a number',
    files: model('export function trunk() { return 7; }\n'),
    args: run(),
    code: 2,
    says: /trunk returned number, not a tf\.SymbolicTensor/,
  },
  {
    name: 'loadData() throws',
    files: model(`${TRUNK}export async function loadData() { throw new Error('disk?'); }\n`, true),
    args: run(),
    code: 2,
    says: /model\.mjs loadData\(\) threw: disk\?/,
  },
  {
    name: 'loadData() returns nothing',
    files: model(`${TRUNK}export async function loadData() {}\n`, true),
    args: run(),
    code: 2,
    says: /loadData\(\) must return \{ features, targets \}/,
  },
  {
    name: 'both data and loadData',
    files: model(`${TRUNK}${LOAD_DATA}`),
    args: run(),
    code: 2,
    says: /both "data" \(\S*data\.csv\) and the loadData export of \S*model\.mjs supply the data; remove one/,
  },
  {
    name: 'the model file is missing',
    files: definition({ model: './gone.mjs' }),
    args: run(),
    code: 2,
    says: /model \S*gone\.mjs: cannot be read \(ENOENT\)/,
  },
  {
    name: '--watchdog 0',
    files: model(TRUNK),
    args: run('--watchdog', '0'),
    code: 2,
    says: /--watchdog '0' must be a number strictly between 0/,
  },
  {
    name: 'watchdog in the definition as a string',
    files: model(TRUNK, false, { watchdog: '10' }),
    args: run(),
    code: 2,
    says: /def\.json: watchdog: must be a number strictly between 0 and 10000000/,
  },
  {
    name: 'a model that behaves trains (control)',
    files: model(`${TRUNK}${LOAD_DATA}`, true),
    args: run(),
    code: 0,
    says: /gain %/,
  },
].map((c) => ({ ...c, then: c.then ?? (c.code === 0 ? undefined : noJournal('out')), skip: oneLeg }));

hostileTable(kind, cases);
