/** Hostile inputs: Output safety: never overwrite what tra did not write; validate before the journal exists. */
import { definition, type HostileCase, hostileTable, noJournal, QUICK, sweep } from '../helpers/hostile.js';

export const kind = 'output';
export const cases: HostileCase[] = [
  {
    name: '--out at a folder of the user',
    files: { 'user/index.html': '<p>mine</p>', 'user/affinity.csv': 'mine' },
    args: ['sweep', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'user', ...QUICK],
    code: 2,
    says: /--out user holds files tra did not write \(affinity\.csv, index\.html\)/,
    out: 'none',
  },
  {
    name: 'definition out at a folder of the user',
    files: { ...definition({ out: 'user' }), 'user/notes.txt': 'mine' },
    args: ['run', 'def.json', '--quiet'],
    code: 2,
    says: /--out .*user holds files tra did not write/,
    out: 'none',
  },
  {
    name: 'baselines --out at a folder of the user',
    files: { 'user/baselines.json': '{}' },
    args: ['baselines', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'user'],
    code: 2,
    says: /--out user holds files tra did not write/,
    out: 'none',
  },
  {
    name: 'report into a folder of the user',
    files: { 'user/affinity.json': '{}', 'user/index.html': 'mine' },
    args: ['report', 'user'],
    code: 2,
    says: /tra report user: index\.html there was not written by tra/,
    out: 'none',
  },
  {
    name: 'auxiliary out at a folder of the user',
    files: { ...definition({ out: 'user' }), 'user/notes.txt': 'mine' },
    args: ['auxiliary', 'def.json', '--main', 'a', '--quiet'],
    code: 2,
    says: /--out .*user holds files tra did not write/,
    out: 'none',
  },
  {
    name: '--out is a file',
    files: { afile: 'x' },
    args: ['sweep', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'afile', ...QUICK],
    code: 2,
    says: /--out afile: a file, not a folder/,
    out: 'none',
  },
  {
    name: 'failed split check leaves no journal',
    files: {},
    args: sweep('--test-share', '0.01'),
    code: 2,
    says: /40 rows cannot be split into train\/validation\/test/,
    then: noJournal('out'),
  },
];

hostileTable(kind, cases);
