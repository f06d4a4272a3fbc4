/** Hostile inputs: Definitions: typed at every depth, unknown fields rejected with their path, paths relative to the file. */
import { auxiliary, definition, type HostileCase, hostileTable, run } from '../helpers/hostile.js';

export const kind = 'definition';
export const cases: HostileCase[] = [
  {
    name: 'split as a string',
    ...run({ split: 'holdout' }),
    code: 2,
    says: /def\.json: split: must be an object such as \{"kind": "holdout"\}/,
  },
  {
    name: 'typo inside split',
    ...run({ split: { kind: 'holdout', vaildation: 0.3 } }),
    code: 2,
    says: /def\.json: unknown field\(s\) split\.vaildation/,
  },
  {
    name: 'subtractNullBias "yes"',
    ...run({ subtractNullBias: 'yes', nullTasks: 1 }),
    code: 2,
    says: /subtractNullBias: must be true or false/,
  },
  { name: 'out 5', ...run({ out: 5 }), code: 2, says: /out: must be a folder path/ },
  {
    name: 'engine [1, 2]',
    ...run({ engine: [1, 2] }),
    code: 2,
    says: /engine: Invalid input: expected object, received array/,
  },
  {
    name: 'hidden width as a string',
    ...run({ engine: { hidden: ['64'] } }),
    code: 2,
    says: /engine\.hidden\[0\]: must be an integer from 1 to 16384/,
  },
  {
    name: 'typo inside engine',
    ...run({ engine: { lr: 0.1 } }),
    code: 2,
    says: /unknown field\(s\) engine\.lr/,
  },
  {
    name: 'negative task weight',
    ...run({ engine: { taskWeights: [1, -2, 1] } }),
    code: 2,
    says: /engine\.taskWeights\[1\]: must be a number from 0/,
  },
  {
    name: 'out escapes the project',
    ...run({ out: '../../escaped' }),
    code: 2,
    says: /out '\.\.\/\.\.\/escaped' resolves to .* outside .*give an absolute path/,
  },
  { name: 'level 95', ...run({ level: 95 }), code: 2, says: /level: must be a number strictly between 0 and 1/ },
  { name: 'seeds "a,b"', ...run({ seeds: 'a,b' }), code: 2, says: /seeds: must be a count from 1 to 1000/ },
  { name: 'name with a space', ...run({ name: 'my run' }), code: 2, says: /name: letters, digits/ },
  {
    name: 'data missing',
    files: { 'def.json': JSON.stringify({ name: 'd', tasks: 'last:3' }) },
    args: ['run', 'def.json'],
    code: 2,
    says: /def\.json: data: expected data \(a CSV path\), a model whose loadData supplies the data, or a command/,
  },
  {
    name: 'taskKind bin',
    ...run({ taskKind: 'bin' }),
    code: 2,
    says: /taskKind: must be one of auto, binary, regression/,
  },
  {
    name: 'backend gpu',
    ...run({ backend: 'gpu' }),
    code: 2,
    says: /backend: must be one of native, tensorflow, wasm, cpu/,
  },
  {
    name: 'nullTasks 1.5',
    ...run({ nullTasks: 1.5 }),
    code: 2,
    says: /nullTasks: must be an integer from 0 to 1000/,
  },
  {
    name: 'kfold with 2 folds',
    ...run({ split: { kind: 'kfold', folds: 2 } }),
    code: 2,
    says: /split\.folds: must be an integer from 3 to 1000/,
  },
  {
    name: 'auxiliaryOnly 5',
    ...auxiliary({ auxiliaryOnly: 5 }),
    code: 2,
    says: /def\.json: auxiliaryOnly: must be a list of column names or one comma-separated string/,
  },
  {
    name: 'smoother column as a number',
    ...auxiliary({ smoothers: { a: 3 } }),
    code: 2,
    says: /def\.json: smoothers\.a: Invalid input: expected string, received number/,
  },
  {
    name: 'auxiliaryOnly column that is not in the data',
    ...auxiliary({ auxiliaryOnly: ['later'] }),
    code: 2,
    says: /data\.csv: auxiliaryOnly names unknown column\(s\) 'later'/,
  },
  {
    name: 'smoother of a task that does not exist',
    ...auxiliary({ smoothers: { grade: 'r' }, tasks: 'a,b' }),
    code: 2,
    says: /smoothers names 'grade', not among the tasks a, b/,
  },
  {
    name: 'unknown top-level field',
    ...run({ epoch: 3 }),
    code: 2,
    says: /unknown field\(s\) epoch/,
  },
  {
    name: 'not JSON',
    files: { 'def.json': '{ name: d }' },
    args: ['run', 'def.json'],
    code: 2,
    says: /analysis definition def\.json: not valid JSON/,
  },
  {
    name: 'a JSON array',
    files: { 'def.json': '[1]' },
    args: ['run', 'def.json'],
    code: 2,
    says: /def\.json: expected a JSON object/,
  },
  {
    name: 'missing definition file',
    files: {},
    args: ['run', 'nope.json'],
    code: 2,
    says: /analysis definition nope\.json: cannot be read \(ENOENT\)/,
  },
  {
    name: 'data relative to the definition',
    files: { 'sub/def.json': definition({ data: 'data.csv', out: '../out' })['def.json'] },
    args: ['run', 'sub/def.json'],
    code: 2,
    says: /sub\/data\.csv: cannot read the file/,
  },
];

hostileTable(kind, cases);
