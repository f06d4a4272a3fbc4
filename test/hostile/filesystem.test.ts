/**
 * Hostile inputs: the file system. Every command that writes meets a full disk (before its folder exists, and after
 * its folder check), a read-only mount, a folder it may not write and a quota: one line naming the path and what to
 * do, exit 2, and what it leaves is whole (no temporary file, a journal that reads back, JSON that parses). Symbolic
 * links planted in an output folder are replaced or refused, never written through; a folder another tra holds is
 * refused naming its pid, a stale lock is taken over.
 *
 * The disks are real: the workspace is remounted on a small tmpfs (full: a filler file outside the output folder;
 * read-only: remounted ro), and EACCES comes from running as user nobody (effective uid) on root's folders. EDQUOT is
 * injected at openSync (this kernel's tmpfs has no quotas). These need root (CI runs as root); elsewhere they skip.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readJournal } from '../../src/sweep/journal.js';
import { asNobody, failing, fillDisk, mountSmallDisk, noDisks } from '../helpers/disk.js';
import {
  first,
  steps,
  definition,
  type HostileCase,
  hostileTable,
  importLosses,
  lines,
  header,
  records,
  sweep,
} from '../helpers/hostile.js';

type Setup = NonNullable<HostileCase['setup']>;

/** Every file, folder and link under `dir`. */
function tree(dir: string): { path: string; kind: 'file' | 'folder' | 'link'; bytes?: Buffer; target?: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((rel) => {
      const path = join(dir, rel);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) return { path: rel, kind: 'link' as const, target: readlinkSync(path) };
      if (stat.isDirectory()) return { path: rel, kind: 'folder' as const };
      return { path: rel, kind: 'file' as const, bytes: readFileSync(path) };
    });
}

/** The workspace moved onto a small tmpfs (its files kept), then full up to `leave` bytes, or read-only. */
const smallDisk =
  (how: { leave: number } | 'read-only'): Setup =>
  (ws) => {
    const kept = tree(ws);
    const disk = mountSmallDisk(ws, 1024 * 1024);
    try {
      for (const entry of kept)
        if (entry.kind === 'folder') mkdirSync(join(ws, entry.path), { recursive: true });
        else if (entry.kind === 'link') symlinkSync(entry.target as string, join(ws, entry.path));
        else writeFileSync(join(ws, entry.path), entry.bytes as Buffer);
      if (how === 'read-only') disk.remount('ro');
      else fillDisk(ws, how.leave);
    } catch (error) {
      disk.unmount();
      throw error;
    }
    return disk.unmount;
  };
const full = smallDisk({ leave: 0 });
/** Room for the folder, its mark and a journal's first page, not for the results. */
const fillsUp = smallDisk({ leave: 12 * 1024 });
const readOnly = smallDisk('read-only');
/** The rest runs as user nobody; the workspace stays readable, root's folders refuse writes. */
const nobody: Setup = (ws) => {
  for (const entry of tree(ws)) if (entry.kind === 'folder') chmodSync(join(ws, entry.path), 0o755);
  chmodSync(ws, 0o755);
  return asNobody();
};
/** Opening a file for writing under `folder` fails with EDQUOT. */
const quota =
  (folder: string): Setup =>
  (ws) =>
    failing(join(ws, folder), 'EDQUOT');

const PROBLEM = {
  full: /no space left on the device, ENOSPC\); free some space or choose another output folder, then rerun the same command/,
  readOnly: /read-only file system, EROFS\); choose an output folder on a writable file system/,
  nobody: /permission denied, EACCES\); make it writable for this user or choose another output folder/,
  quota: /disk quota exceeded, EDQUOT\); free some space/,
};
/** The message names `folder` or a path in it, then the problem. */
const at = (folder: string, problem: RegExp): RegExp =>
  new RegExp(`tra: (--out |tra merge )?(/[\\w/-]+/)?${folder}(/[\\w.-]+)*: cannot [a-z ]+ \\(${problem.source}`);

/** What a refused command leaves in `folder` is whole: no temporary file, a journal that reads, JSON that parses. */
const intact =
  (folder: string) =>
  (ws: string): void => {
    const dir = join(ws, folder);
    if (!existsSync(dir)) return;
    for (const { path, kind, bytes } of tree(dir)) {
      assert.doesNotMatch(path, /\.tmp$|\.new$/, `${folder}/${path}: a temporary file left behind`);
      if (kind !== 'file') continue;
      const text = (bytes as Buffer).toString('utf8');
      if (path.endsWith('journal.jsonl')) {
        const journal = readJournal(join(dir, path));
        assert.equal(journal.tornLine, false, `${folder}/${path} ends with a whole line`);
      } else if (path.endsWith('.json')) JSON.parse(text);
      else if (path.endsWith('.html')) assert.match(text, /<\/html>\n$/, `${folder}/${path} is whole`);
      else if (path.endsWith('.csv')) assert.match(text, /\n$/, `${folder}/${path} is whole`);
    }
  };

/** A command that creates its output folder `out`, and the setup that makes it run. */
interface Writer {
  name: string;
  args: string[];
  files?: Record<string, string | Buffer>;
  out: string;
  setup?: Setup;
}

const finishedJournal = { 'run/journal.jsonl': lines([header(), ...records()]) };
const FRESH: Writer[] = [
  { name: 'sweep', args: sweep(), out: 'out' },
  { name: 'run', files: definition({}), args: ['run', 'def.json', '--quiet'], out: 'out' },
  { name: 'import', ...importLosses(), out: 'out' },
  {
    name: 'merge',
    files: { 'shard/journal.jsonl': finishedJournal['run/journal.jsonl'] },
    args: ['merge', 'merged', 'shard/journal.jsonl'],
    out: 'merged',
  },
  { name: 'baselines', args: ['baselines', '--data', 'data.csv', '--tasks', 'last:3', '--out', 'out'], out: 'out' },
  { name: 'group', files: definition({}), args: ['group', 'def.json', '--quiet'], out: 'out' },
  { name: 'auxiliary', files: definition({}), args: ['auxiliary', 'def.json', '--main', 'a', '--quiet'], out: 'out' },
  {
    name: 'taxonomy',
    files: definition({}),
    args: ['taxonomy', 'def.json', '--supervision-budgets', '1', '--quiet'],
    out: 'out',
  },
  { name: 'proxies', files: definition({}), args: ['proxies', 'def.json', '--every', '1'], out: 'out' },
];
const EXISTING: Writer[] = [
  { name: 'affinity', files: finishedJournal, args: ['affinity', 'run'], out: 'run' },
  { name: 'report', files: finishedJournal, setup: first('affinity', 'run'), args: ['report', 'run'], out: 'run' },
  {
    name: 'group on imported losses',
    ...importLosses(),
    setup: first('import', 'losses.csv', '--out', 'out'),
    args: ['group', 'out', '--quiet'],
    out: 'out',
  },
];

const refused = (w: Writer, how: string, setup: Setup, problem: RegExp): HostileCase => ({
  name: `${w.name}: ${how}`,
  files: w.files,
  setup: w.setup ? steps(w.setup, setup) : setup,
  args: w.args,
  code: 2,
  says: at(w.out, problem),
  out: w.out,
  then: intact(w.out),
});

const diskCases: HostileCase[] = [
  ...FRESH.flatMap((w) => [
    refused(w, 'the disk is full', full, PROBLEM.full),
    refused(w, 'the disk fills up after the folder check', fillsUp, PROBLEM.full),
    refused(w, 'a read-only mount', readOnly, PROBLEM.readOnly),
    refused(w, 'a folder it may not write', nobody, PROBLEM.nobody),
    refused(w, 'over quota', quota(w.out), PROBLEM.quota),
  ]),
  ...EXISTING.flatMap((w) => [
    refused(w, 'the disk is full', full, PROBLEM.full),
    refused(w, 'a read-only mount', readOnly, PROBLEM.readOnly),
    refused(w, 'a folder it may not write', nobody, PROBLEM.nobody),
    refused(w, 'over quota', quota(w.out), PROBLEM.quota),
  ]),
].map((c) => ({ ...c, skip: noDisks() }));

/** A file outside every output folder that a planted link points at; it must never change. */
const victim = { 'victim.txt': 'the user’s own file\n' };
const link =
  (from: string, to = '../victim.txt'): Setup =>
  (ws) => {
    mkdirSync(join(ws, from, '..'), { recursive: true });
    symlinkSync(to, join(ws, from));
    return undefined;
  };
/** The workspace's victim.txt is unchanged (the harness checks too; this says which file). */
const untouched = (ws: string): void =>
  assert.equal(readFileSync(join(ws, 'victim.txt'), 'utf8'), victim['victim.txt'], 'the linked file is untouched');

const linkCases: HostileCase[] = [
  {
    name: 'affinity.json is a link out of the folder: replaced, not written through',
    files: { ...victim, ...finishedJournal },
    setup: link('run/affinity.json'),
    args: ['affinity', 'run'],
    code: 0,
    says: /wrote run\/affinity\.json/,
    out: 'run',
    then: (ws) => {
      untouched(ws);
      assert.ok(!lstatSync(join(ws, 'run/affinity.json')).isSymbolicLink());
    },
  },
  {
    name: 'index.html is a link out of the folder: replaced, not written through',
    files: { ...victim, ...finishedJournal },
    setup: steps(first('affinity', 'run'), (ws) => {
      spawnSync('rm', [join(ws, 'run/index.html')]);
      return link('run/index.html')(ws);
    }),
    args: ['report', 'run'],
    code: 0,
    says: /wrote run\/index\.html/,
    out: 'run',
    then: untouched,
  },
  {
    name: 'the journal is a link out of the folder: refused',
    files: { ...victim, 'out/.tra-output': 'written by tra\n' },
    setup: link('out/journal.jsonl'),
    args: sweep(),
    code: 2,
    says: /out\/journal\.jsonl is a symbolic link; tra writes only to a file of its own there: remove the link/,
    then: untouched,
  },
  {
    name: 'an imported journal is a link out of the folder: refused',
    files: { ...victim, ...importLosses().files, 'out/.tra-output': 'written by tra\n' },
    setup: link('out/journal.jsonl', '../victim.txt'),
    args: ['import', 'losses.csv', '--out', 'out'],
    code: 2,
    says: /out\/journal\.jsonl is a symbolic link; tra writes only to a file of its own there: remove the link/,
    then: untouched,
  },
  {
    name: 'a subfolder of the output folder is a link elsewhere: refused',
    files: { ...victim, ...definition({}), 'elsewhere/keep.txt': 'mine\n' },
    setup: steps(first('run', 'def.json', '--quiet'), link('out/closed-loop', '../elsewhere')),
    args: ['group', 'def.json', '--budget', '2', '--validate', '--quiet'],
    code: 2,
    says: /out\/closed-loop is a symbolic link \(to \.\.\/elsewhere\) inside an output folder of tra's; tra does not write through it: remove the link/,
    then: (ws) => assert.deepEqual(readdirSync(join(ws, 'elsewhere')), ['keep.txt']),
  },
  {
    name: 'the output folder itself is a link the user made: written into (the user chose it)',
    files: { 'real/.keep': '' },
    setup: link('out', 'real'),
    args: ['affinity', 'out'],
    code: 2,
    says: /cannot read journal out\/journal\.jsonl \(ENOENT\)/,
  },
];

/** A lock file in `folder` held by process `pid` (started as /proc says, or at `started`). */
const lockedBy =
  (folder: string, pid: number, started?: string): Setup =>
  (ws) => {
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    const start = started ?? stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    mkdirSync(join(ws, folder), { recursive: true });
    const holder = { pid, host: hostname(), started: start, command: 'tra sweep', since: '2026-01-01T00:00:00Z' };
    writeFileSync(join(ws, folder, '.tra-lock'), JSON.stringify(holder));
    writeFileSync(join(ws, folder, '.tra-output'), 'written by tra\n');
    return undefined;
  };
const deadPid = (): number => spawnSync('true').pid as number;
const running =
  /is in use by another tra \(pid 1, tra sweep, since 2026-01-01T00:00:00Z\); wait for it to finish, or if that process is gone, delete .*\.tra-lock/;

const lockCases: HostileCase[] = [
  {
    name: 'sweep into a folder another tra holds',
    files: { 'out/.tra-output': '' },
    setup: lockedBy('out', 1),
    args: sweep(),
    code: 2,
    says: running,
    then: (ws) => assert.ok(!existsSync(join(ws, 'out/journal.jsonl')), 'nothing trained'),
  },
  {
    name: 'affinity on a folder another tra holds',
    files: finishedJournal,
    setup: lockedBy('run', 1),
    args: ['affinity', 'run'],
    code: 2,
    says: running,
    out: 'run',
  },
  {
    name: 'report on a folder another tra holds',
    files: finishedJournal,
    setup: steps(first('affinity', 'run'), lockedBy('run', 1)),
    args: ['report', 'run'],
    code: 2,
    says: running,
    out: 'run',
  },
  {
    name: 'import into a folder another tra holds',
    ...importLosses(),
    setup: lockedBy('out', 1),
    code: 2,
    says: running,
  },
  {
    name: 'merge into a folder another tra holds',
    files: { 'shard/journal.jsonl': finishedJournal['run/journal.jsonl'] },
    setup: lockedBy('merged', 1),
    args: ['merge', 'merged', 'shard/journal.jsonl'],
    code: 2,
    says: running,
    out: 'merged',
  },
  {
    name: 'a stale lock (its process gone) is taken over',
    files: finishedJournal,
    setup: (ws) => lockedBy('run', deadPid())(ws),
    args: ['affinity', 'run'],
    code: 0,
    says: /wrote run\/affinity\.json/,
    out: 'run',
    then: (ws) => assert.ok(!existsSync(join(ws, 'run/.tra-lock')), 'released at the end'),
  },
  {
    name: 'a lock of a reused pid (another start time) is taken over',
    files: finishedJournal,
    setup: lockedBy('run', 1, '0'),
    args: ['affinity', 'run'],
    code: 0,
    says: /wrote run\/affinity\.json/,
    out: 'run',
  },
  {
    name: 'a damaged lock file is taken over',
    files: { ...finishedJournal, 'run/.tra-lock': '{"pid":' },
    setup: (ws) => {
      spawnSync('touch', ['-d', '1 minute ago', join(ws, 'run/.tra-lock')]);
      return undefined;
    },
    args: ['affinity', 'run'],
    code: 0,
    says: /wrote run\/affinity\.json/,
    out: 'run',
  },
];

export const kind = 'filesystem';
export const cases: HostileCase[] = [...diskCases, ...linkCases, ...lockCases];

hostileTable(kind, cases);
