import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/data/errors.js';
import { type CommandOutcome, runPaths, type CommandSettings } from '../../src/engine/command/network.js';
import { checkCommandArgv, substituteArgv, type NetworkValues } from '../../src/engine/command/placeholders.js';
import { parseDevices, runCommandJobs, runOptions } from '../../src/engine/command/pool.js';
import { LOG_CAP } from '../../src/engine/command/process.js';
import { commandRef } from '../../src/engine/command/ref.js';
import { TrainingFailure } from '../../src/engine/parallel.js';
import { FAKE_COMMAND, fakeArgv, BACKEND_INDEPENDENT } from '../helpers/command.js';
import { tempDir } from '../helpers/files.js';

const values: NetworkValues = {
  tasks: ['a b', 'c'],
  taskIndices: [0, 2],
  seed: 7,
  fold: 1,
  folds: 5,
  split: 'kfold',
  validationShare: 0,
  testShare: 0,
  replication: 's7f1',
  network: 's7f1/0+2',
  epochs: 30,
  result: '/o/r.json',
  runDir: '/o',
  device: '3',
};

test(
  'placeholders are replaced inside their own argument; {tasks...} expands to one argument per task',
  BACKEND_INDEPENDENT,
  () => {
    assert.deepEqual(
      substituteArgv(
        ['python', 't.py', '--tasks', '{tasks}', '--seed={seed}', '{tasks...}', '{{literal}}', '{device}'],
        values,
      ),
      ['python', 't.py', '--tasks', 'a b,c', '--seed=7', 'a b', 'c', '{literal}', '3'],
    );
    assert.deepEqual(substituteArgv(['x', '{tasks_json}', '{task_indices}', '{network}'], values), [
      'x',
      '["a b","c"]',
      '0,2',
      's7f1/0+2',
    ]);
    assert.throws(() => checkCommandArgv(['x', '{sed}'], 'def'), /command\[1\] '\{sed\}': unknown placeholder \{sed\}/);
    assert.throws(() => checkCommandArgv(['x', '--t={tasks...}'], 'def'), /must be a whole argument/);
    assert.throws(() => checkCommandArgv(['{result}'], 'def'), /must be the program/);
    assert.throws(() => parseDevices('0,1,0'), /device 0 is listed twice/);
    assert.throws(() => runOptions({ parallel: 3, devices: ['0', '1'] }), /--parallel 3 with 2 device\(s\)/);
    assert.equal(runOptions({ devices: ['0', '1'] }).parallel, 2, 'one command per device by default');
  },
);

/** A folder with the fake command, and the settings of a sweep of `taskNames` through it. */
function setup(taskNames: string[], extra: string[] = [], retries = 0): { dir: string; settings: CommandSettings } {
  const dir = tempDir();
  copyFileSync(FAKE_COMMAND, join(dir, 'fake.mjs'));
  const ref = commandRef(fakeArgv(...extra), dir, [join(dir, 'fake.mjs')], 'test');
  return {
    dir,
    settings: {
      ref,
      taskNames,
      epochs: 2,
      split: { kind: 'holdout', validation: 0.2, test: 0.2 },
      outDir: join(dir, 'out'),
      retries,
    },
  };
}

const job = (group: number[], seed = 0) => ({ seed, fold: 0, replication: `s${seed}`, group });

async function train(
  settings: CommandSettings,
  groups: number[][],
  options: { parallel?: number; devices?: string[]; timeoutSeconds?: number } = {},
) {
  const done: CommandOutcome[] = [];
  await runCommandJobs(
    groups.map((g) => job(g)),
    settings,
    { parallel: options.parallel ?? 1, ...options, onDone: (_, o) => done.push(o) },
  );
  return done;
}

test(
  'task names with spaces, quotes, ; and $( ) reach the command as they are, and nothing is executed',
  BACKEND_INDEPENDENT,
  async () => {
    const names = ['a b', `it's "quoted"`, 'x; touch pwned', '$(touch pwned2)', '`touch pwned3`'];
    const { dir, settings } = setup(names);
    const done = await train(settings, [
      [0, 1],
      [2, 3],
      [3, 4],
    ]);
    // the result must name exactly the tasks given, or the contract check would have refused it
    assert.equal(done.length, 3);
    assert.deepEqual(readdirSync(dir).sort(), ['fake.mjs', 'out']);
    const log = readFileSync(runPaths(settings.outDir, job([2, 3])).log, 'utf8');
    assert.match(log, /training x; touch pwned, \$\(touch pwned2\)/);
  },
);

test(
  '--devices: one device per running command, exported as CUDA_VISIBLE_DEVICES, never two commands on one device',
  BACKEND_INDEPENDENT,
  async () => {
    const { dir, settings } = setup(['a', 'b', 'c'], ['--mode', 'slow', '--ms', '150']);
    const log = join(dir, 'starts.log');
    process.env.FAKE_LOG = log;
    try {
      await train(settings, [[0], [1], [2], [0, 1], [0, 2], [1, 2]], { parallel: 2, devices: ['4', '7'] });
    } finally {
      delete process.env.FAKE_LOG;
    }
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    assert.equal(events.length, 12);
    const busy = new Map<string, string>();
    let overlapped = false;
    for (const [what, network, device, cuda] of events) {
      assert.ok(['4', '7'].includes(device), `device ${device}`);
      assert.equal(cuda, device, 'CUDA_VISIBLE_DEVICES names the same device');
      if (what === 'start') {
        assert.equal(
          busy.get(device),
          undefined,
          `${network} started on device ${device} while ${busy.get(device)} ran there`,
        );
        busy.set(device, network);
        if (busy.size === 2) overlapped = true;
      } else busy.delete(device);
    }
    assert.ok(overlapped, 'two commands ran at once');
  },
);

test(
  'a command that outlives its timeout is ended with every process of its group, then retried and reported',
  BACKEND_INDEPENDENT,
  async () => {
    const { settings } = setup(['a', 'b'], ['--mode', 'grandchild'], 1);
    await assert.rejects(
      train(settings, [[0]], { timeoutSeconds: 1 }),
      (error: unknown) =>
        error instanceof TrainingFailure &&
        /failed 2 time\(s\): attempt 1: timed out after 1 s .*attempt 2: timed out/.test(error.message) &&
        /last lines of .*log\.txt:\n {2}\| training a with seed 0/.test(error.message),
    );
    const pid = Number(readFileSync(join(runPaths(settings.outDir, job([0])).dir, 'grandchild.pid'), 'utf8'));
    assert.ok(await ended(pid), 'the process the command started is gone too');
  },
);

/** Whether a process is gone (or a zombie waiting for init to reap it) within a second. */
async function ended(pid: number): Promise<boolean> {
  for (let k = 0; k < 20; k++) {
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    if (stat === '' || / Z /.test(stat)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

test(
  'output beyond the log cap is dropped, not kept in memory; a flaky launch succeeds on its retry',
  BACKEND_INDEPENDENT,
  async () => {
    const spam = setup(['a', 'b'], ['--mode', 'spam']);
    const [outcome] = await train(spam.settings, [[1]]);
    const log = runPaths(spam.settings.outDir, job([1])).log;
    assert.ok(statSync(log).size < LOG_CAP + 4096, `log of ${statSync(log).size} bytes`);
    assert.match(readFileSync(log, 'utf8').slice(-300), /more bytes of output dropped/);
    assert.equal(outcome.testLoss.length, 1);
    const flaky = setup(['a', 'b'], ['--mode', 'flaky'], 1);
    const [retried] = await train(flaky.settings, [[0, 1]]);
    assert.equal(retried.attempts, 2);
    assert.ok(existsSync(runPaths(flaky.settings.outDir, job([0, 1])).result));
  },
);

test('a program that does not exist is a one-line input error, not retried', BACKEND_INDEPENDENT, async () => {
  const { dir, settings } = setup(['a', 'b'], [], 2);
  const ref = commandRef(['no-such-program-tra'], dir, [], 'test');
  await assert.rejects(
    train({ ...settings, ref }, [[0]]),
    (error: unknown) => error instanceof InputError && /could not start/.test(error.message),
  );
});
