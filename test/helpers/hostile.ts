/**
 * The hostile-input harness. Every case runs `tra` in this process on a fresh workspace and asserts what the guide
 * promises for bad input: the exit code, a message that names the place (file:line column, field, flag, path), one
 * error line, no stack trace, and no change outside the case's output folder.
 *
 * A table is one file per kind, test/hostile/<kind>.test.ts:
 *
 *   import { type HostileCase, hostileTable, sweep } from '../helpers/hostile.js';
 *   export const kind = 'numbers';
 *   export const cases: HostileCase[] = [
 *     { name: 'a loss of 5e-324', files: { 'losses.csv': '...' }, args: ['import', ...], code: 2, says: /losses\.csv:2/ },
 *   ];
 *   hostileTable(kind, cases);
 *
 * The workspace is a new temporary folder, the working directory while `tra` runs, holding `data.csv` (validCsv: 40
 * rows, features f1 f2, binary tasks a b, regression task r) and the case's `files`. test/hostile/coverage.test.ts
 * imports every table to count its cases (hostileTable registers nothing then), so a table module has no other side
 * effects at import: start a server the cases share in hostileTable's hooks, one a case needs in its setup.
 *
 * A case: `files`, `args`, `code`, `says` (matched on stderr, on stdout for exit 0; exit 2 is one error line); optionally `out` (the folder it may
 * change, default out/), `setup(ws)` (returns an undo; `first(...args)` runs tra first, `steps(...)` chains setups),
 * `then(ws, result)` (more checks), `skip` (why it cannot run here). Builders: `sweep(...)`, `run(fields)`,
 * `definition(fields)`, `csv(row(...))`, `journal(text)` over `header()`/`records()`/`withRecord()`, `merge(shard)`,
 * `lossCsv()`/`importLosses()` (the long format), `noJournal(folder)`. `tra(ws, args)` and `runCase(c)` run one.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli } from '../../src/cli/program.js';
import { configHash, type SweepConfig } from '../../src/sweep/config.js';
import { networkId, pairwiseGroups } from '../../src/sweep/plan.js';
import { tempDir, validCsv } from './files.js';

export interface HostileCase {
  name: string;
  /** Files written into the workspace first (relative path → content), over the default data.csv. */
  files?: Record<string, string | Buffer>;
  /** More preparation (symlinks, modes, mounts, servers); a returned function runs after the case, pass or fail. */
  setup?: (ws: string) => undefined | (() => void) | Promise<undefined | (() => void)>;
  args: string[];
  code: number;
  /** What stderr must say (stdout for exit 0, and where stderr is empty: exit 3 of `tra merge`). */
  says: RegExp;
  /** The folder the command may change (relative to the workspace); default 'out'; 'none' for nowhere. */
  out?: string;
  /** Extra checks afterwards. */
  then?: (ws: string, result: TraResult) => void;
  /** Why the case cannot run here (e.g. it needs root), to skip it saying so. */
  skip?: string;
}

export interface TraResult {
  code: number;
  stdout: string;
  stderr: string;
}

let counting = false;
/** Called by the coverage test before it imports the tables: hostileTable then registers no test. */
export const countOnly = (): void => {
  counting = true;
};

/**
 * Registers one test per case, named `<kind>: <name>`; `hooks` run before the first case and after the last (a server
 * the table's cases share), not when the table is only counted.
 */
export function hostileTable(
  kind: string,
  cases: readonly HostileCase[],
  hooks: { before?: () => unknown; after?: () => unknown } = {},
): void {
  if (counting) return;
  if (hooks.before) before(hooks.before);
  if (hooks.after) after(hooks.after);
  for (const c of cases)
    test(`${kind}: ${c.name}`, { timeout: 60_000, skip: c.skip }, async () => {
      await runCase(c);
    });
}

/** Runs one case and asserts everything the harness promises (exported for tests that need a case's result). */
export async function runCase(c: HostileCase): Promise<TraResult> {
  const ws = workspace(c.files);
  const cleanup = await c.setup?.(ws);
  try {
    const out = c.out ?? 'out';
    const before = snapshot(ws, out);
    const result = await tra(ws, c.args);
    assert.equal(result.code, c.code, `exit code; stderr: ${result.stderr}`);
    assert.match(c.code === 0 ? result.stdout : result.stderr || result.stdout, c.says, result.stderr);
    assertNoStack(result.stderr);
    if (c.code === 2) assertOneErrorLine(result.stderr);
    assert.deepEqual(snapshot(ws, out), before, `only ${out}/ may change`);
    c.then?.(ws, result);
    return result;
  } finally {
    cleanup?.();
  }
}

/** A new workspace holding data.csv and `files`. */
export function workspace(files: Record<string, string | Buffer> = {}): string {
  const ws = tempDir();
  for (const [path, text] of Object.entries({ 'data.csv': validCsv(), ...files })) {
    mkdirSync(join(ws, path, '..'), { recursive: true });
    writeFileSync(join(ws, path), text);
  }
  return ws;
}

export const assertNoStack = (stderr: string): void =>
  assert.doesNotMatch(stderr, /^\s+at .*:\d+:\d+\)?$/m, 'no stack trace');

export const assertOneErrorLine = (stderr: string): void =>
  assert.equal(
    stderr
      .trim()
      .split('\n')
      .filter((l) => /^(tra|error):/.test(l)).length,
    1,
    `one error line:\n${stderr}`,
  );

/**
 * Every entry under `dir` except `skip` and what is under it: files by a hash of their bytes, symlinks by their target,
 * folders as such (so a folder created outside the output folder counts as a change).
 */
export function snapshot(dir: string, skip: string): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const rel = relative(dir, path);
      if (rel === skip || rel.startsWith(`${skip}/`)) continue;
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) entries.set(rel, `-> ${readlinkSync(path)}`);
      else if (stat.isDirectory()) {
        entries.set(rel, 'folder');
        walk(path);
      } else entries.set(rel, createHash('sha1').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return entries;
}

// What the CLI prints is captured per run; the test runner's own output (outside any run's context) passes through.
const capture = new AsyncLocalStorage<{ stdout: string; stderr: string }>();
for (const stream of ['stdout', 'stderr'] as const) {
  const original = process[stream].write.bind(process[stream]);
  process[stream].write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const output = capture.getStore();
    if (!output) return original(chunk, ...rest);
    output[stream] += String(chunk);
    return true;
  }) as typeof process.stdout.write;
}

/** What `body` prints to stdout and stderr, with its value. */
export async function captured<T>(body: () => T | Promise<T>): Promise<{ value: T; stdout: string; stderr: string }> {
  const output = { stdout: '', stderr: '' };
  const value = await capture.run(output, body);
  return { value, ...output };
}

/** Runs the CLI in this process with `ws` as working directory; collects what it prints. */
export async function tra(ws: string, args: string[]): Promise<TraResult> {
  const cwd = process.cwd();
  process.chdir(ws);
  try {
    const { value, stdout, stderr } = await captured(() => runCli(args));
    return { code: value, stdout, stderr };
  } finally {
    process.chdir(cwd);
  }
}

// Builders the tables share.

/** Flags that keep a sweep to seconds: one seed, one epoch, 4 hidden units, a holdout split. */
export const QUICK = ['--quiet', '--epochs', '1', '--hidden', '4', '--seeds', '1', '--split', 'holdout'];
/** `tra sweep` on the workspace's data.csv into out/, quick, with `args` appended. */
export const sweep = (...args: string[]): string[] => [
  'sweep',
  '--data',
  'data.csv',
  '--tasks',
  'last:3',
  '--out',
  'out',
  ...QUICK,
  ...args,
];
/** data.csv with its lines changed. */
export const csv = (mutate: (lines: string[]) => string[]): Record<string, string> => ({
  'data.csv': validCsv(mutate),
});
/** Replaces line `line` (1-based, the header is line 1). */
export const row =
  (line: number, text: string) =>
  (lines: string[]): string[] =>
    lines.map((l, i) => (i === line - 1 ? text : l));
/** Replaces column `index` of every data line with `value(line index)`. */
export const column =
  (index: number, value: (i: number) => string) =>
  (lines: string[]): string[] =>
    lines.map((l, i) =>
      i === 0
        ? l
        : l
            .split(',')
            .map((cell, c) => (c === index ? value(i) : cell))
            .join(','),
    );

/** def.json: a quick definition on data.csv into out/, with `fields` over it. */
export const definition = (fields: Record<string, unknown>): Record<string, string> => ({
  'def.json': JSON.stringify({
    name: 'd',
    data: 'data.csv',
    tasks: 'last:3',
    seeds: 1,
    split: { kind: 'holdout' },
    engine: { epochs: 1, hidden: [4] },
    out: 'out',
    ...fields,
  }),
});
/** `tra run def.json` on definition(fields). */
export const run = (fields: Record<string, unknown>): Pick<HostileCase, 'files' | 'args'> => ({
  files: definition(fields),
  args: ['run', 'def.json', '--quiet'],
});
/** `tra auxiliary def.json --main a` on definition(fields). */
export const auxiliary = (fields: Record<string, unknown>, ...args: string[]): Pick<HostileCase, 'files' | 'args'> => ({
  files: definition(fields),
  args: ['auxiliary', 'def.json', '--main', 'a', '--quiet', ...args],
});

/** The configuration of the hand-written journal: 3 tasks (a, b binary; r regression) on data.csv, holdout. */
export const CONFIG: SweepConfig = {
  data: {
    source: 'data.csv',
    sha256: '0'.repeat(64),
    rows: 40,
    featureNames: ['f1', 'f2'],
    taskNames: ['a', 'b', 'r'],
    taskKinds: ['binary', 'binary', 'regression'],
  },
  engine: { hidden: [4], learningRate: 0.001, batchSize: 64, epochs: 1 },
  split: { kind: 'holdout', validation: 0.2, test: 0.2 },
};
/** The journal's header line for `config` (its hash by default correct). */
export const header = (config: unknown = CONFIG, hash = configHash(CONFIG)) => ({
  kind: 'header',
  version: 1,
  configHash: hash,
  config,
  plan: { seeds: [0, 1], groups: pairwiseGroups(3) },
  createdAt: '2026-01-01T00:00:00Z',
});
/** A finished holdout journal's 12 records (3 tasks, all pairs and singles, seeds 0 and 1), written so no case trains. */
export const records = (): Record<string, unknown>[] =>
  ['s0', 's1'].flatMap((replication, seed) =>
    pairwiseGroups(3).map((group, g) => {
      const losses = group.map((task) => 0.4 + 0.01 * task + 0.003 * g + 0.002 * seed);
      return {
        kind: 'network',
        id: networkId(replication, group),
        replication,
        seed,
        fold: 0,
        group,
        testLoss: losses,
        validationLoss: losses,
        bestEpoch: 1,
        backend: 'cpu',
        seconds: 0.1,
        finishedAt: '2026-01-01T00:00:01Z',
      };
    }),
  );
/** JSON lines. */
export const lines = (entries: unknown[]): string => `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`;
/** The finished journal with record k (0-based; on line k + 2) changed. */
export const withRecord = (k: number, change: (r: Record<string, unknown>) => Record<string, unknown>): string =>
  lines([header(), ...records().map((r, i) => (i === k ? change(r) : r))]);
/** `tra affinity run` on a journal with this text at run/journal.jsonl. */
export const journal = (text: string, path = 'run/journal.jsonl'): Pick<HostileCase, 'files' | 'args' | 'out'> => ({
  files: { [path]: text },
  args: ['affinity', 'run'],
  out: 'run',
});
/** `tra merge merged shard/journal.jsonl` with this shard. */
export const merge = (shard: string): Pick<HostileCase, 'files' | 'args' | 'out'> => ({
  files: { 'shard/journal.jsonl': shard },
  args: ['merge', 'merged', 'shard/journal.jsonl'],
  out: 'merged',
});

/**
 * losses.csv in the long format (`tra import`): tasks a, b, r, every single and pair network, seeds 0 and 1, test and
 * validation losses; `mutate` changes its lines (the header is line 1).
 */
export const lossCsv = (mutate: (lines: string[]) => string[] = (l) => l): Record<string, string> => {
  const tasks = ['a', 'b', 'r'];
  const lines = ['network,task,seed,split,loss'];
  for (const seed of [0, 1])
    for (const group of pairwiseGroups(3))
      for (const t of group)
        for (const split of ['test', 'validation'])
          lines.push(
            `${group.map((u) => tasks[u]).join('+')},${tasks[t]},${seed},${split},${(0.4 + 0.01 * t + 0.03 * group.length + 0.002 * seed).toFixed(3)}`,
          );
  return { 'losses.csv': `${mutate(lines).join('\n')}\n` };
};
/** `tra import losses.csv --out out` on lossCsv(mutate). */
export const importLosses = (
  mutate?: (lines: string[]) => string[],
  ...args: string[]
): Pick<HostileCase, 'files' | 'args'> => ({
  files: lossCsv(mutate),
  args: ['import', 'losses.csv', '--out', 'out', ...args],
});

type Setup = NonNullable<HostileCase['setup']>;

/** A setup that runs `tra args` first (the folder a case works on), failing the case if it does not succeed. */
export const first =
  (...args: string[]): Setup =>
  async (ws) => {
    const result = await tra(ws, args);
    assert.equal(result.code, 0, `setup tra ${args.join(' ')}: ${result.stderr}`);
    return undefined;
  };

/** Setup steps in order; their undos run in reverse, also when a later step fails. */
export const steps =
  (...setups: Setup[]): Setup =>
  async (ws) => {
    const undos: (() => void)[] = [];
    const undo = (): void => {
      for (const u of undos.splice(0).reverse()) u();
    };
    try {
      for (const setup of setups) {
        const u = await setup(ws);
        if (u) undos.push(u);
      }
    } catch (error) {
      undo();
      throw error;
    }
    return undo;
  };

/** A `then` check: `folder` holds no journal. */
export const noJournal =
  (folder: string) =>
  (ws: string): void =>
    assert.ok(!existsSync(join(ws, folder, 'journal.jsonl')), `no journal in ${folder}`);
