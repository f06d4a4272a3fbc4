import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  commandWorkspace,
  fakeArgv,
  journalRecords,
  lossesById,
  tra,
  BACKEND_INDEPENDENT,
} from '../helpers/command.js';
import { cli, recordsIn } from '../helpers/killResume.js';

const TWO_SEEDS = { seeds: 2, parallel: 2 };

/** The uninterrupted sweep every other run is compared with. */
const reference = (async () => {
  const ws = commandWorkspace(TWO_SEEDS);
  const run = await tra(ws.dir, ['run', ws.definition, '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  return ws;
})();

test(
  'a command sweep recovers the relations planted in its losses and records every network once',
  BACKEND_INDEPENDENT,
  async () => {
    const { out } = await reference;
    const records = journalRecords(out);
    assert.equal(records.length, 12, '6 groups x 2 seeds');
    assert.ok(records.every((r) => r.backend === 'command' && Array.isArray(r.examples) && r.perEpoch));
    const affinity = JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8'));
    // the fake's tasks a and b help each other by 20%; every partner hurts c by 25%
    assert.ok(affinity.mean[0][1] > 0.15 && affinity.mean[1][0] > 0.15, JSON.stringify(affinity.mean));
    assert.ok(affinity.mean[2][0] < -0.2 && affinity.mean[2][1] < -0.2);
    assert.ok(Math.abs(affinity.mean[0][2]) < 0.05);
    for (const id of ['s0/0+1', 's1/2']) assert.ok(existsSync(join(out, 'runs', ...id.split('/'), 'log.txt')), id);
  },
);

test(
  'a resumed command sweep launches only the missing networks and equals an uninterrupted one',
  BACKEND_INDEPENDENT,
  async () => {
    const ws = commandWorkspace(TWO_SEEDS);
    assert.equal((await tra(ws.dir, ['run', ws.definition, '--quiet'])).code, 0);
    const journal = join(ws.out, 'journal.jsonl');
    const lines = readFileSync(journal, 'utf8').split('\n');
    // a crash after 8 networks, mid-write of the 9th; the 9th's network left a result of another run behind
    writeFileSync(journal, `${lines.slice(0, 9).join('\n')}\n${lines[9].slice(0, 30)}`);
    const ninth = JSON.parse(lines[9]).id.split('/');
    writeFileSync(join(ws.out, 'runs', ...ninth, 'result.json'), '{"seed": 99}');
    const rerun = await tra(ws.dir, ['run', ws.definition]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, /trained 4 networks .*\(8 already in/);
    assert.deepEqual(lossesById(ws.out), lossesById((await reference).out));
    const again = await tra(ws.dir, ['run', ws.definition, '--quiet']);
    assert.match(again.stdout, /trained 0 networks/);
  },
);

/** Processes whose command line mentions `text` (the commands of one workspace). */
const processesWith = (text: string): string[] =>
  readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });

test(
  'Ctrl-C ends the running commands and leaves a journal that resumes to the uninterrupted result',
  BACKEND_INDEPENDENT,
  async () => {
    const ws = commandWorkspace({ ...TWO_SEEDS, command: fakeArgv('--mode', 'slow', '--ms', '600') });
    const journal = join(ws.out, 'journal.jsonl');
    const interrupted = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, 'run', ws.definition, '--quiet'], {
        cwd: ws.dir,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const poll = setInterval(() => {
        if (recordsIn(journal) < 2) return;
        clearInterval(poll);
        child.kill('SIGINT');
      }, 20);
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    assert.equal(interrupted.code, 130, interrupted.stderr);
    const recorded = recordsIn(journal);
    assert.ok(recorded >= 2 && recorded < 12, `stopped mid-sweep with ${recorded} of 12`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(processesWith(ws.dir), [], 'no command of the sweep is left running');
    const rerun = await tra(ws.dir, ['run', ws.definition, '--quiet']);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(lossesById(ws.out), lossesById((await reference).out));
  },
);

test(
  'an edited training script is refused on resume, naming the file; the journal is kept',
  BACKEND_INDEPENDENT,
  async () => {
    const ws = commandWorkspace();
    assert.equal((await tra(ws.dir, ['run', ws.definition, '--quiet'])).code, 0);
    const before = readFileSync(join(ws.out, 'journal.jsonl'), 'utf8');
    appendFileSync(join(ws.dir, 'fake.mjs'), '\n// a changed learning rate\n');
    const rerun = await tra(ws.dir, ['run', ws.definition, '--quiet']);
    assert.equal(rerun.code, 2);
    assert.match(rerun.stderr, /different configuration \(the code .*fake\.mjs changed since/);
    assert.equal(readFileSync(join(ws.out, 'journal.jsonl'), 'utf8'), before);
  },
);

test('shards of a command sweep merge into the uninterrupted sweep', BACKEND_INDEPENDENT, async () => {
  const ws = commandWorkspace({ ...TWO_SEEDS, out: undefined });
  for (const shard of ['1/2', '2/2']) {
    const run = await tra(ws.dir, ['run', ws.definition, '--shard', shard, '--quiet']);
    assert.equal(run.code, 0, run.stderr);
  }
  const merged = await tra(ws.dir, [
    'merge',
    'merged',
    'reports/fake-shard-1-of-2/journal.jsonl',
    'reports/fake-shard-2-of-2/journal.jsonl',
  ]);
  assert.equal(merged.code, 0, merged.stderr);
  assert.deepEqual(lossesById(join(ws.dir, 'merged')), lossesById((await reference).out));
});

test('tra sweep --command builds the same command definition from flags', BACKEND_INDEPENDENT, async () => {
  const ws = commandWorkspace();
  const run = await tra(ws.dir, [
    'sweep',
    '--command',
    JSON.stringify(fakeArgv()),
    '--code',
    'fake.mjs',
    '--tasks',
    'a,b,c',
    '--seeds',
    '2',
    '--split',
    'holdout',
    '--epochs',
    '3',
    '--parallel',
    '2',
    '--out',
    'flags',
    '--quiet',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(lossesById(join(ws.dir, 'flags')), lossesById((await reference).out));
});

test(
  "--max-hours on a command: checked on the first networks' measured durations, then before launching; nothing trained is lost",
  BACKEND_INDEPENDENT,
  async () => {
    const ws = commandWorkspace({ parallel: 2, command: fakeArgv('--mode', 'slow', '--ms', '300') });
    // 36 ms: the first two networks alone take longer, so the four left are estimated over it
    const limited = ['run', ws.definition, '--quiet', '--max-hours', '0.00001'];
    const first = await tra(ws.dir, limited);
    assert.equal(first.code, 2, first.stderr);
    assert.match(
      first.stderr,
      /^tra: --max-hours 0\.00001: after its first 2 network\(s\), the command's 4 networks left are estimated at [\d.]+ s \(4 x [\d.]+ s measured \/ 2 at a time\); raise --max-hours to at least [\d.e-]+ to run them/,
    );
    const kept = journalRecords(ws.out).length;
    assert.ok(kept >= 2 && kept < 6, `${kept} networks kept`);

    const again = await tra(ws.dir, limited);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /before launching, the command's \d networks left are estimated/);
    assert.equal(journalRecords(ws.out).length, kept, 'refused before launching anything');

    const plan = await tra(ws.dir, ['plan', ws.definition, '--max-hours', '0.00001']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(
      plan.stdout,
      /time: about [\d.]+ s \(estimated: \d networks x [\d.]+ s, the mean of \d measured, \/ 2 at a time\)/,
    );
    assert.match(plan.stdout, /over the limit of 0\.00001 hour\(s\)/);

    const resumed = await tra(ws.dir, ['run', ws.definition, '--quiet']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(journalRecords(ws.out).length, 6);
  },
);

test(
  '--max-hours holds while a command sweep runs: past it nothing more is launched, exit 3, and the rerun resumes',
  BACKEND_INDEPENDENT,
  async () => {
    // the second network takes 11 s: the first one's estimate (5 networks of well under 2 s) passes a 10 s limit
    const ws = commandWorkspace({
      parallel: 1,
      command: fakeArgv('--mode', 'slow', '--ms', '11000', '--only', 's0/1'),
    });
    const run = await tra(ws.dir, ['run', ws.definition, '--quiet', '--max-hours', String(10 / 3600)]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /stopped at --max-hours [\d.]+: trained 2 networks in this run, 4 left to train/);
    assert.deepEqual(
      journalRecords(ws.out).map((r) => r.id),
      ['s0/0', 's0/1'],
    );
    const rerun = await tra(ws.dir, ['run', ws.definition, '--quiet']);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(journalRecords(ws.out).length, 6);
    // the rerun planned its 4 networks from the 2 durations in the journal, and kept that plan beside their time
    const { plan } = JSON.parse(readFileSync(join(ws.out, 'affinity.json'), 'utf8'));
    assert.equal(plan.networks, 4);
    assert.equal(plan.from, 'measured networks');
    const durations = journalRecords(ws.out).map((r) => r.seconds as number);
    assert.ok(
      Math.abs(plan.predictedSeconds - 4 * ((durations[0] + durations[1]) / 2)) < 0.01 * plan.predictedSeconds,
      'predicted: 4 networks x the mean of the 2 measured, one at a time',
    );
    assert.ok(plan.measuredSeconds > 0);
  },
);
