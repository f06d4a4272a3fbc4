/**
 * Hostile inputs: Output safety: never overwrite what tra did not write; validate before the journal exists; refuse
 * degenerate requests (task weights of 0) and a --truth that is not the sweep of this data and these settings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validCsv } from '../helpers/files.js';
import {
  definition,
  first,
  type HostileCase,
  hostileTable,
  noJournal,
  QUICK,
  run,
  steps,
  sweep,
} from '../helpers/hostile.js';

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
  // degenerate requests, refused before training
  {
    name: 'sweep --task-weights 0,0,0',
    args: sweep('--task-weights', '0,0,0'),
    code: 2,
    says: /taskWeights are all 0: no network would train anything; give each task a positive weight/,
    then: noJournal('out'),
  },
  {
    name: 'sweep --task-weights 1,0,1',
    args: sweep('--task-weights', '1,0,1'),
    code: 2,
    says: /taskWeights: task 'b' has weight 0, so its single-task network would train nothing/,
    then: noJournal('out'),
  },
  {
    name: 'definition taskWeights all 0',
    ...run({ engine: { epochs: 1, hidden: [4], taskWeights: [0, 0, 0] } }),
    code: 2,
    says: /taskWeights are all 0/,
    then: noJournal('out'),
  },
  // proxies against a sweep that is not theirs
  {
    name: 'proxies --truth: a sweep of other data with the same task names',
    files: {
      ...definition({ out: 'prox' }),
      'other.csv': validCsv((l) => l.map((line, k) => (k === 5 ? line.replace(/^[\d.]+/, '99') : line))),
      'other.json': definition({ data: 'other.csv', out: 'truth' })['def.json'],
    },
    setup: first('run', 'other.json', '--quiet'),
    args: ['proxies', 'def.json', '--truth', 'truth', '--every', '1'],
    code: 2,
    says: /--truth: truth\/affinity\.json was computed from other data \(sha256 [0-9a-f]{12}; .*data\.csv is [0-9a-f]{12}\); give the sweep of this data set/,
    out: 'prox',
  },
  {
    name: 'proxies --truth: a sweep of this data with other settings',
    files: {
      ...definition({ out: 'prox' }),
      'wide.json': definition({ engine: { epochs: 1, hidden: [8] }, out: 'truth' })['def.json'],
    },
    setup: first('run', 'wide.json', '--quiet'),
    args: ['proxies', 'def.json', '--truth', 'truth', '--every', '1'],
    code: 2,
    says: /--truth: the sweep in truth was trained with other settings \(engine .*"hidden":\[8\].*, here .*"hidden":\[4\].*\); run tra proxies with the sweep's definition/,
    out: 'prox',
  },
  {
    name: 'proxies --truth: an affinity.json that does not say its data',
    files: {
      ...definition({ out: 'prox' }),
      'same.json': definition({ out: 'truth' })['def.json'],
    },
    setup: steps(first('run', 'same.json', '--quiet'), (ws) => {
      const path = join(ws, 'truth/affinity.json');
      const { provenance: _gone, ...rest } = JSON.parse(readFileSync(path, 'utf8'));
      writeFileSync(path, JSON.stringify(rest));
      return undefined;
    }),
    args: ['proxies', 'def.json', '--truth', 'truth', '--every', '1'],
    code: 2,
    says: /--truth: truth\/affinity\.json does not say which data it was computed from \(provenance\.data\.sha256\)/,
    out: 'prox',
  },
  {
    name: 'proxies --truth: the sweep of this data and settings (control)',
    files: { ...definition({ out: 'prox' }), 'same.json': definition({ out: 'truth' })['def.json'] },
    setup: first('run', 'same.json', '--quiet'),
    args: ['proxies', 'def.json', '--truth', 'truth', '--every', '1'],
    code: 0,
    says: /./,
    out: 'prox',
  },
];

hostileTable(kind, cases);
