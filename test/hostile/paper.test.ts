/** Hostile inputs: tra paper on folders that are missing, incomplete, malformed, or an --out that is not tra's. */
import { type HostileCase, hostileTable } from '../helpers/hostile.js';
import { syntheticAffinity } from '../report/fixtures.js';

export const kind = 'paper';
const affinity = JSON.stringify(syntheticAffinity(3));
export const cases: HostileCase[] = [
  {
    name: 'no such folder',
    args: ['paper', 'missing', '--no-pdf'],
    code: 2,
    says: /missing: no such folder/,
    out: 'none',
  },
  {
    name: 'a file, not a folder',
    files: { 'a.json': '{}' },
    args: ['paper', 'a.json', '--no-pdf'],
    code: 2,
    says: /a\.json: not a folder/,
    out: 'none',
  },
  {
    name: 'a folder without affinity.json',
    files: { 'a/notes.txt': 'mine' },
    args: ['paper', 'a', '--no-pdf'],
    code: 2,
    says: /a\/affinity\.json not found/,
    out: 'none',
  },
  {
    name: 'affinity.json is not JSON',
    files: { 'a/affinity.json': '{"taskNames": [' },
    args: ['paper', 'a', '--no-pdf'],
    code: 2,
    says: /a\/affinity\.json: not valid JSON/,
    out: 'none',
  },
  {
    name: 'grouping.json of the wrong shape',
    files: { 'a/affinity.json': affinity, 'a/grouping.json': '{"curve": 3}' },
    args: ['paper', 'a', '--no-pdf'],
    code: 2,
    says: /a\/grouping\.json/,
    out: 'none',
  },
  {
    name: '--out at a folder of the user',
    files: { 'a/affinity.json': affinity, 'user/draft.tex': 'mine' },
    args: ['paper', 'a', '--out', 'user', '--no-pdf'],
    code: 2,
    says: /--out user holds files tra did not write \(draft\.tex\)/,
    out: 'none',
  },
  {
    name: '--out is a file',
    files: { 'a/affinity.json': affinity, 'user.txt': 'mine' },
    args: ['paper', 'a', '--out', 'user.txt', '--no-pdf'],
    code: 2,
    says: /--out user\.txt: a file, not a folder/,
    out: 'none',
  },
  {
    name: 'hostile task names become a paper (SVG, LaTeX, Markdown)',
    files: { 'a/affinity.json': affinity },
    args: ['paper', 'a', '--out', 'out', '--no-pdf'],
    code: 0,
    says: /wrote \d+ files to out/,
  },
];

hostileTable(kind, cases);
