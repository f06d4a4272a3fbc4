/**
 * Hostile inputs: every command's arguments. The folder, definition or journal a command is given does not exist, is a
 * file where a folder is expected (or the other way round), belongs to another analysis, or is the wrong kind of folder:
 * one line naming it, exit 2, nothing written.
 */
import { configHash } from '../../src/sweep/config.js';
import {
  CONFIG,
  definition,
  first,
  type HostileCase,
  header,
  hostileTable,
  importLosses,
  lines,
  records,
  withRecord,
} from '../helpers/hostile.js';

const finished = lines([header(), ...records()]);
/** The finished journal of another configuration (other epochs), hash and all. */
const other = (() => {
  const config = { ...CONFIG, engine: { ...CONFIG.engine, epochs: 7 } };
  return lines([header(config, configHash(config)), ...records()]);
})();

export const kind = 'arguments';
export const cases: HostileCase[] = [
  // tra affinity <dir>
  {
    name: 'affinity on a missing folder',
    args: ['affinity', 'nope'],
    code: 2,
    says: /cannot read journal nope\/journal\.jsonl \(ENOENT\)/,
    out: 'none',
  },
  {
    name: 'affinity on a file',
    files: { 'afile.txt': 'x' },
    args: ['affinity', 'afile.txt'],
    code: 2,
    says: /cannot read journal afile\.txt\/journal\.jsonl \(ENOTDIR\)/,
    out: 'none',
  },
  {
    name: 'affinity on a folder whose journal is a folder',
    files: { 'run/journal.jsonl/x': '' },
    args: ['affinity', 'run'],
    code: 2,
    says: /cannot read journal run\/journal\.jsonl \(EISDIR\)/,
    out: 'run',
  },
  {
    name: 'affinity on a journal with no complete replication',
    files: { 'run/journal.jsonl': lines([header(), ...records().slice(0, 4)]) },
    args: ['affinity', 'run'],
    code: 2,
    says: /run\/journal\.jsonl holds no replication with every single and pair network finished/,
    out: 'run',
  },
  // tra report <dir>
  { name: 'report on a missing folder', args: ['report', 'nope'], code: 2, says: /nope: no such folder/, out: 'none' },
  {
    name: 'report on a file',
    files: { 'afile.txt': 'x' },
    args: ['report', 'afile.txt'],
    code: 2,
    says: /afile\.txt: not a folder/,
    out: 'none',
  },
  {
    name: 'report on a folder without affinity.json',
    files: { 'run/.tra-output': '' },
    args: ['report', 'run'],
    code: 2,
    says: /run\/affinity\.json not found: run a pairwise sweep into run first/,
    out: 'run',
  },
  {
    name: 'report on an affinity.json that is not JSON',
    files: { 'run/.tra-output': '', 'run/affinity.json': '{"taskNames": [' },
    args: ['report', 'run'],
    code: 2,
    says: /run\/affinity\.json: not valid JSON/,
    out: 'run',
  },
  {
    name: 'report on an affinity.json that is a list',
    files: { 'run/.tra-output': '', 'run/affinity.json': '[1, 2]' },
    args: ['report', 'run'],
    code: 2,
    says: /run\/affinity\.json affinity: expected an object/,
    out: 'run',
  },
  {
    name: 'report on an affinity.json without its matrices',
    files: { 'run/.tra-output': '', 'run/affinity.json': '{"taskNames": ["a", "b"]}' },
    args: ['report', 'run'],
    code: 2,
    says: /run\/affinity\.json affinity\.mean: expected a list \(missing\)/,
    out: 'run',
  },
  {
    name: 'report on matrices of the wrong size',
    files: {
      'run/.tra-output': '',
      'run/affinity.json': JSON.stringify({ taskNames: ['a', 'b'], mean: [[0]], low: [[0]], high: [[0]] }),
    },
    args: ['report', 'run'],
    code: 2,
    says: /run\/affinity\.json affinity\.mean: expected a 2x2 matrix/,
    out: 'run',
  },
  // tra merge <dir> <journals...>
  {
    name: 'merge without journals',
    args: ['merge', 'merged'],
    code: 2,
    says: /missing required argument 'journals'/,
    out: 'merged',
  },
  {
    name: 'merge a missing journal',
    args: ['merge', 'merged', 'shard/journal.jsonl'],
    code: 2,
    says: /cannot read journal shard\/journal\.jsonl \(ENOENT\)/,
    out: 'merged',
  },
  {
    name: 'merge shards of two configurations',
    files: { 'one/journal.jsonl': finished, 'two/journal.jsonl': other },
    args: ['merge', 'merged', 'one/journal.jsonl', 'two/journal.jsonl'],
    code: 2,
    says: /two\/journal\.jsonl was made with another configuration than one\/journal\.jsonl/,
    out: 'merged',
  },
  {
    name: 'merge shards that disagree on one network',
    files: {
      'one/journal.jsonl': finished,
      'two/journal.jsonl': withRecord(3, (r) => ({ ...r, testLoss: [0.9, 0.9] })),
    },
    args: ['merge', 'merged', 'one/journal.jsonl', 'two/journal.jsonl'],
    code: 2,
    says: /two\/journal\.jsonl: network s0\/0\+1 has a different result than in another journal/,
    out: 'merged',
  },
  {
    name: 'merge into a folder of another configuration',
    files: { 'merged/journal.jsonl': other, 'shard/journal.jsonl': finished },
    args: ['merge', 'merged', 'shard/journal.jsonl'],
    code: 2,
    says: /merged\/journal\.jsonl holds results of a different configuration/,
    out: 'merged',
  },
  {
    name: 'merge into a folder of the user',
    files: { 'mine/notes.txt': 'mine', 'shard/journal.jsonl': finished },
    args: ['merge', 'mine', 'shard/journal.jsonl'],
    code: 2,
    says: /mine holds files tra did not write \(notes\.txt\)/,
    out: 'none',
  },
  {
    name: 'merge a shard that is incomplete: exit 3 naming what is missing',
    files: { 'shard/journal.jsonl': lines([header(), ...records().slice(0, 9)]) },
    args: ['merge', 'merged', 'shard/journal.jsonl'],
    code: 3,
    says: /incomplete: 3 planned networks are in no journal \(s1\/0\+1, s1\/0\+2, s1\/1\+2\); finish the missing shards and merge again/,
    out: 'merged',
  },
  // tra plan, tra run, tra group, tra taxonomy, tra proxies, tra auxiliary on what is not a definition
  ...(['plan', 'run', 'group', 'taxonomy', 'proxies', 'auxiliary'] as const).flatMap((command): HostileCase[] => [
    {
      name: `${command} on a missing definition`,
      args: [command, 'nope.json', ...(command === 'auxiliary' ? ['--main', 'a'] : [])],
      code: 2,
      says: /analysis definition nope\.json: cannot be read \(ENOENT\)/,
      out: 'none',
    },
    {
      name: `${command} on a folder that is not an analysis`,
      files: { 'empty/.keep': '' },
      args: [command, 'empty', ...(command === 'auxiliary' ? ['--main', 'a'] : [])],
      code: 2,
      says: /empty holds no definition\.json \(written by tra sweep and tra run\), no journal and no imported losses/,
      out: 'empty',
    },
  ]),
  {
    name: 'taxonomy on imported losses without per-example test losses',
    ...importLosses(),
    setup: first('import', 'losses.csv', '--out', 'out'),
    args: ['taxonomy', 'out', '--quiet'],
    code: 2,
    says: /out holds imported losses without per-example test losses; the taxonomy's tournaments compare networks example by example/,
  },
  {
    name: 'group --main that is not a task',
    files: definition({}),
    args: ['group', 'def.json', '--main', 'zz', '--quiet'],
    code: 2,
    says: /--main 'zz' is neither a task name nor a task index \(0\.\.2\); tasks: a, b, r/,
  },
  {
    name: 'auxiliary --main that is not a task',
    files: definition({}),
    args: ['auxiliary', 'def.json', '--main', 'zz', '--quiet'],
    code: 2,
    says: /--main 'zz' is neither a task name nor a task index/,
  },
  {
    name: 'proxies --proxies with an unknown id',
    files: definition({}),
    args: ['proxies', 'def.json', '--proxies', 'magic', '--every', '1'],
    code: 2,
    says: /--proxies: unknown proxy 'magic' \(choose from linearised, /,
    out: 'none',
  },
  {
    name: 'proxies --truth on a missing folder',
    files: definition({}),
    args: ['proxies', 'def.json', '--truth', 'nope', '--every', '1'],
    code: 2,
    says: /--truth: cannot read nope\/affinity\.json \(ENOENT\); run a pairwise sweep into that folder first/,
    out: 'none',
  },
  // tra import <files...>
  {
    name: 'import a missing file',
    args: ['import', 'nope.csv', '--out', 'out'],
    code: 2,
    says: /nope\.csv: cannot read the file \(ENOENT\)/,
  },
  {
    name: 'import a pattern that matches nothing',
    args: ['import', 'none-*.csv', '--out', 'out'],
    code: 2,
    says: /'none-\*\.csv' matches no file/,
  },
  {
    name: 'import a folder of the user as a file',
    files: { 'mine/x.csv': 'x' },
    args: ['import', 'mine', '--out', 'out'],
    code: 2,
    says: /mine is a folder and --out names another: give the folder to import into once/,
  },
  {
    name: 'import --format unknown',
    ...importLosses(undefined, '--format', 'excel'),
    code: 2,
    says: /--format 'excel' must be one of long, standley/,
    out: 'none',
  },
  {
    name: 'import a Standley table without its test table',
    files: { 'validation.txt': '0.5\t0.6\n0.4\t0.5\n' },
    args: ['import', 'validation.txt', '--format', 'standley', '--out', 'out'],
    code: 2,
    says: /--format standley needs --test-table <file>/,
  },
  // tra baselines, tra schema, tra worker
  {
    name: 'baselines on missing data',
    args: ['baselines', '--data', 'nope.csv', '--tasks', 'last:3', '--out', 'out'],
    code: 2,
    says: /nope\.csv: cannot read the file \(ENOENT\)/,
  },
  {
    name: 'baselines with an unknown task',
    args: ['baselines', '--data', 'data.csv', '--tasks', 'a,zz', '--out', 'out'],
    code: 2,
    says: /--tasks names unknown column\(s\) 'zz'/,
  },
  { name: 'schema with two kinds', args: ['schema', 'record', 'definition'], code: 2, says: /too many arguments/ },
  { name: 'schema of Record (case)', args: ['schema', 'Record'], code: 2, says: /schema 'Record'/ },
  {
    name: 'worker without --queue',
    args: ['worker'],
    code: 2,
    says: /required option '--queue <url>' not specified/,
    out: 'none',
  },
  {
    name: 'worker --queue with a space in the host',
    args: ['worker', '--queue', 'redis://a b:6379'],
    code: 2,
    says: /--queue 'redis:\/\/a b:6379' is not a URL/,
    out: 'none',
  },
];

hostileTable(kind, cases);
