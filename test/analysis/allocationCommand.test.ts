import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal } from '../../src/sweep/journal.js';
import { BACKEND_INDEPENDENT, commandWorkspace, journalRecords, lossesById, tra } from '../helpers/command.js';
import { cli } from '../helpers/killResume.js';
import { finish, startRedis } from '../helpers/queue.js';

// the fake command's planted relations: tasks a and b help each other by 20%; every partner hurts c by 25%
const SEEDS = { seeds: 4, parallel: 2, tasks: ['a', 'b', 'c', 'd'], engine: { epochs: 8 } };

test(
  "decision-focused allocation drives the user's command: fewer networks than the full sweep, the planted relations found, a rerun launches nothing",
  BACKEND_INDEPENDENT,
  async () => {
    const ws = commandWorkspace(SEEDS);
    const run = await tra(ws.dir, ['run', ws.definition, '--allocation', 'decision', '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    const records = journalRecords(ws.out);
    const fullSweep = 4 * 10; // 4 seeds x (4 singles + 6 pairs)
    assert.ok(records.length < fullSweep, `${records.length} networks, the full sweep ${fullSweep}`);
    assert.ok(records.every((r) => r.backend === 'command'));
    const affinity = JSON.parse(readFileSync(join(ws.out, 'affinity.json'), 'utf8'));
    assert.equal(affinity.allocation.strategy, 'decision');
    assert.ok(affinity.mean[0][1] > 0.15 && affinity.mean[1][0] > 0.15, JSON.stringify(affinity.mean));
    assert.ok(affinity.mean[2][0] < -0.2 && affinity.mean[2][3] < -0.2, JSON.stringify(affinity.mean));

    const again = await tra(ws.dir, ['run', ws.definition, '--allocation', 'decision', '--quiet']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(journalRecords(ws.out).length, records.length, 'a rerun launches nothing');
  },
);

test(
  "short runs with the user's command: the command is told the short epochs, its own journal says so, the finalists train in full",
  BACKEND_INDEPENDENT,
  async () => {
    const ws = commandWorkspace(SEEDS);
    const run = await tra(ws.dir, [
      'run',
      ws.definition,
      '--allocation',
      'short',
      '--short-fraction',
      '0.25',
      '--quiet',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const short = readJournal(join(ws.out, 'short-runs', 'journal.jsonl'));
    assert.equal((short.header.config as { epochs: number }).epochs, 2, 'a quarter of 8 epochs');
    assert.ok(short.records.size > 0);
    // the fake reports one loss per epoch it was told to train
    for (const record of short.records.values()) assert.equal(record.perEpoch?.epochs, 2, record.id);
    const full = journalRecords(ws.out);
    assert.ok(full.length > 0 && full.every((r) => (r.perEpoch as { epochs: number }).epochs === 8));
    const affinity = JSON.parse(readFileSync(join(ws.out, 'affinity.json'), 'utf8'));
    assert.equal(affinity.allocation.strategy, 'short');
    assert.ok(affinity.mean[0][1] > 0.15, JSON.stringify(affinity.mean));
  },
);

test(
  'an allocation through the queue: a tra worker trains its full-length networks and its short runs (their own configuration), and both journals equal a local allocation',
  BACKEND_INDEPENDENT,
  async () => {
    const args = ['--allocation', 'short', '--short-fraction', '0.25', '--quiet'];
    const local = commandWorkspace(SEEDS);
    assert.equal((await tra(local.dir, ['run', local.definition, ...args])).code, 0);
    const ws = commandWorkspace(SEEDS);
    const redis = await startRedis();
    const worker = spawn(process.execPath, [cli, 'worker', '--queue', redis.url, '--parallel', '2'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const log: string[] = [];
    worker.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    try {
      const coordinator = await finish(
        spawn(process.execPath, [cli, 'run', ws.definition, '--queue', redis.url, ...args], {
          cwd: ws.dir,
          stdio: ['ignore', 'ignore', 'pipe'],
        }),
      );
      assert.equal(coordinator.code, 0, `${coordinator.stderr}\nworker: ${log.join('')}`);
    } finally {
      worker.kill('SIGTERM');
      await redis.stop();
    }
    assert.deepEqual(lossesById(ws.out), lossesById(local.out));
    const shortLosses = (out: string) =>
      new Map([...readJournal(join(out, 'short-runs', 'journal.jsonl')).records].map(([id, r]) => [id, r.testLoss]));
    assert.ok(shortLosses(local.out).size > 0);
    assert.deepEqual(shortLosses(ws.out), shortLosses(local.out));
  },
);
