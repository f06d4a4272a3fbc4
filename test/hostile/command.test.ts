/**
 * Hostile inputs: Command: a training command that fails, hangs, floods its log, writes no result or a wrong one,
 * writes outside its folder or edits its code, and definitions or flags that misuse a command. Each is one error
 * naming the network, the file and the field (with the last lines of the command's log), and the networks trained
 * before it stay in the journal.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_CAP } from '../../src/engine/command/process.js';
import { fakeArgv, FAKE_COMMAND } from '../helpers/command.js';
import { type HostileCase, hostileTable } from '../helpers/hostile.js';

const fake = readFileSync(FAKE_COMMAND, 'utf8');

/** A command definition (the fake command on three tasks, one seed) with `fields` over it, and `tra run` on it. */
const command = (fields: Record<string, unknown>, ...args: string[]): Pick<HostileCase, 'files' | 'args'> => ({
  files: {
    'fake.mjs': fake,
    'def.json': JSON.stringify({
      name: 'c',
      command: fakeArgv(),
      code: ['fake.mjs'],
      tasks: ['a', 'b', 'c'],
      seeds: 1,
      split: { kind: 'holdout' },
      engine: { epochs: 2 },
      out: 'out',
      retries: 0,
      ...fields,
    }),
  },
  args: ['run', 'def.json', '--quiet', ...args],
});
/** The fake misbehaving as `mode` for the network `only` (every network when absent). */
const misbehaving = (mode: string, only?: string, ...extra: string[]) =>
  command({ command: fakeArgv('--mode', mode, ...(only ? ['--only', only] : []), ...extra) });

/** The journal (under `out`) holds these networks, and only these. */
const journalHolds =
  (ids: string[], out = 'out') =>
  (ws: string): void => {
    const lines = readFileSync(join(ws, out, 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    assert.deepEqual(lines.map((l) => JSON.parse(l).id).sort(), [...ids].sort());
  };

export const kind = 'command';
export const cases: HostileCase[] = [
  {
    name: 'exits non-zero, retried, then reported with its log; the other networks are kept',
    ...command({ command: fakeArgv('--mode', 'exit1', '--only', 's0/1'), retries: 1 }),
    code: 1,
    says: /network s0\/1 \{b\} failed 2 time\(s\): attempt 1: exited with code 1; attempt 2: exited with code 1;[^\n]*\nlast lines of .*out\/runs\/s0\/1\/log\.txt:\n(.*\n)*.*RuntimeError: CUDA out of memory/,
    then: journalHolds(['s0/0']),
  },
  {
    name: 'hangs past --timeout: its process group is ended',
    ...misbehaving('hang', 's0/0+1'),
    args: ['run', 'def.json', '--quiet', '--timeout', '1'],
    code: 1,
    says: /network s0\/0\+1 \{a, b\} failed 1 time\(s\): attempt 1: timed out after 1 s \(its process group was ended\)/,
    then: journalHolds(['s0/0', 's0/1', 's0/2']),
  },
  {
    name: 'is killed by a signal (the out-of-memory killer)',
    ...misbehaving('killed', 's0/2'),
    code: 1,
    says: /network s0\/2 \{c\} failed 1 time\(s\): attempt 1: ended by SIGKILL/,
  },
  {
    name: 'prints megabytes: the log keeps the first 8 MB, the sweep goes on',
    ...misbehaving('spam', 's0/0'),
    code: 0,
    says: /trained 6 networks/,
    then: (ws) => {
      const log = join(ws, 'out', 'runs', 's0', '0', 'log.txt');
      assert.ok(statSync(log).size < LOG_CAP + 4096, `${statSync(log).size} bytes`);
    },
  },
  {
    name: 'exits 0 but writes no result file',
    ...misbehaving('noresult', 's0/1+2'),
    code: 1,
    says: /network s0\/1\+2 \{b, c\} failed 1 time\(s\): attempt 1: wrote no result file; expected its result at .*out\/runs\/s0\/1\+2\/result\.\d+-1\.json/,
  },
  {
    name: 'writes the result of another group',
    ...misbehaving('wronggroup', 's0/0+2'),
    code: 2,
    says: /network s0\/0\+2 \{a, c\}: result .*out\/runs\/s0\/0\+2\/result\.\d+-1\.json: tasks: the result is for \{"a"\}, but this network trains \{"a", "c"\}; missing \{"c"\}\nlast lines of/,
    then: journalHolds(['s0/0', 's0/1', 's0/2', 's0/0+1']),
  },
  {
    name: 'writes the result of another seed',
    ...misbehaving('wrongseed', 's0/2'),
    code: 2,
    says: /network s0\/2 \{c\}: result .*result\.\d+-1\.json: seed: 1, but this network was trained with seed 0/,
  },
  {
    name: 'writes NaN as a loss (Python json.dump does)',
    ...misbehaving('nan', 's0/0'),
    code: 2,
    says: /network s0\/0 \{a\}: result .*out\/runs\/s0\/0\/result\.\d+-1\.json: tasks\.a\.test: NaN is not a finite number \(did training diverge\?\)/,
  },
  {
    name: 'writes a truncated result',
    ...misbehaving('malformed', 's0/1'),
    code: 2,
    says: /network s0\/1 \{b\}: result .*result\.\d+-1\.json: not valid JSON/,
  },
  {
    name: 'writes its result as a link to a file elsewhere',
    ...misbehaving('symlink', 's0/0'),
    code: 2,
    says: /result\.\d+-1\.json: a symbolic link; the command must write its result file inside its own folder/,
  },
  {
    name: 'writes a file into the output folder outside its own',
    ...misbehaving('outside', 's0/1'),
    code: 2,
    says: /the command wrote 'stray\.txt' into the output folder .*out while training network s0\/1/,
  },
  {
    name: 'edits its code in the middle of the sweep',
    files: {
      'work/fake.mjs': fake,
      'work/params.txt': 'lr=0.1\n',
      'def.json': JSON.stringify({
        name: 'c',
        command: fakeArgv('--mode', 'editcode', '--only', 's0/1', '--code', 'params.txt'),
        code: ['work/fake.mjs', 'work/params.txt'],
        cwd: 'work',
        tasks: ['a', 'b', 'c'],
        seeds: 1,
        split: { kind: 'holdout' },
        engine: { epochs: 2 },
        out: 'work/out',
        retries: 0,
      }),
    },
    args: ['run', 'def.json', '--quiet'],
    out: 'work',
    code: 2,
    says: /work\/params\.txt changed while network s0\/1 \{b\} trained \(sha256 [0-9a-f]{12} when the sweep started\)/,
    then: journalHolds(['s0/0'], 'work/out'),
  },
  {
    name: 'a program that does not exist',
    ...command({ command: ['no-such-trainer-tra', '{result}'] }),
    code: 2,
    says: /network s0\/0 \{a\}: the command "no-such-trainer-tra" could not start/,
  },
  {
    name: 'a device listed twice',
    ...command({}, '--devices', '0,1,0'),
    code: 2,
    says: /devices '0,1,0': device 0 is listed twice/,
    then: (ws) => assert.ok(!existsSync(join(ws, 'out', 'journal.jsonl'))),
  },
  {
    name: 'a device listed twice in the definition',
    ...command({ devices: [0, 1, 1] }),
    code: 2,
    says: /def\.json: devices '0,1,1': device 1 is listed twice/,
  },
  {
    name: 'more parallel commands than devices',
    ...command({}, '--devices', '0,1', '--parallel', '3'),
    code: 2,
    says: /--parallel 3 with 2 device\(s\) \(0,1\): each running command gets a device of its own/,
  },
  {
    name: 'an unknown placeholder',
    ...command({ command: ['node', 'fake.mjs', '--seed', '{sed}'] }),
    code: 2,
    says: /def\.json: command: command\[3\] '\{sed\}': unknown placeholder \{sed\}/,
  },
  {
    name: '{tasks...} inside an argument',
    ...command({ command: ['node', 'fake.mjs', '--tasks={tasks...}'] }),
    code: 2,
    says: /command\[2\] '--tasks=\{tasks\.\.\.\}': \{tasks\.\.\.\} expands to one argument per task and must be a whole argument/,
  },
  {
    name: 'a command and data',
    ...command({ data: 'data.csv' }),
    code: 2,
    says: /def\.json: data: not with a command, which trains its own network on its own data/,
  },
  {
    name: 'engine settings a command does not use',
    ...command({ engine: { epochs: 2, hidden: [8] } }),
    code: 2,
    says: /def\.json: engine\.hidden: not with a command, .*only epochs applies/,
  },
  {
    name: 'a task named twice',
    ...command({ tasks: ['a', 'b', 'a'] }),
    code: 2,
    says: /def\.json: tasks: 'a' is named twice/,
  },
  {
    name: 'a code file that does not exist',
    ...command({ code: ['fake.mjs', 'missing.py'] }),
    code: 2,
    says: /code .*missing\.py: cannot be read \(ENOENT\)/,
  },
  {
    name: 'launch flags on a definition without a command',
    files: {
      'def.json': JSON.stringify({ name: 'd', data: 'data.csv', tasks: 'last:3', seeds: 1, out: 'out' }),
    },
    args: ['run', 'def.json', '--quiet', '--parallel', '2'],
    code: 2,
    says: /def\.json: parallel: only with a command/,
  },
];

hostileTable(kind, cases);
