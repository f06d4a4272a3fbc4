import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { plantedClusters } from '../../src/data/synthetic.js';
import { connectionOf, QUEUE_NAME } from '../../src/sweep/queue.js';
import { datasetCsv, tempDir } from '../helpers/files.js';
import { cli, writePlantedCsv } from '../helpers/killResume.js';
import { finish, startRedis } from '../helpers/queue.js';
import { readJournal } from '../../src/sweep/journal.js';

let url = '';
let stopRedis = (): unknown => undefined;

before(async () => {
  ({ url, stop: stopRedis } = await startRedis());
});

after(() => stopRedis());

const sweepArgs = (csv: string, out: string) => [
  'sweep',
  '--data',
  csv,
  '--tasks',
  'last:3',
  '--split',
  'holdout',
  '--seeds',
  '6',
  '--epochs',
  '60',
  '--hidden',
  '32',
  '--workers',
  '1',
  '--out',
  out,
  '--quiet',
];

function startWorker(): { child: ChildProcess; log: string[] } {
  const child = spawn(process.execPath, [cli, 'worker', '--queue', url, '--workers', '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => log.push(...chunk.toString().trim().split('\n')));
  return { child, log };
}

test('two queue workers complete a sweep; killing one mid-job loses nothing and records nothing twice', async () => {
  const csv = join(tempDir(), 'data.csv');
  writePlantedCsv(csv, 300);
  const local = tempDir();
  const reference = spawnSync(process.execPath, [cli, ...sweepArgs(csv, local)], { encoding: 'utf8' });
  assert.equal(reference.status, 0, reference.stderr);

  const out = tempDir();
  const survivor = startWorker();
  const victim = startWorker();
  const coordinator = spawn(process.execPath, [cli, ...sweepArgs(csv, out), '--queue', url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let coordinatorErr = '';
  coordinator.stderr?.on('data', (chunk: Buffer) => (coordinatorErr += chunk.toString()));
  // Kill the victim as soon as it is training its second job. Whatever happens, no worker outlives the test.
  let killed = false;
  let code: number | null = null;
  try {
    killed = await new Promise<boolean>((resolve) => {
      const poll = setInterval(() => {
        if (victim.log.filter((l) => l.includes(': training ')).length >= 2) {
          clearInterval(poll);
          victim.child.kill('SIGKILL');
          resolve(true);
        }
      }, 5);
      coordinator.on('exit', () => {
        clearInterval(poll);
        resolve(false);
      });
    });
    code = await new Promise<number | null>((resolve) =>
      coordinator.exitCode !== null ? resolve(coordinator.exitCode) : coordinator.on('exit', resolve),
    );
  } finally {
    victim.child.kill('SIGKILL');
    survivor.child.kill('SIGTERM');
    coordinator.kill('SIGKILL');
  }
  assert.equal(code, 0, coordinatorErr);
  assert.ok(killed, `the victim worker was killed mid-run (its log: ${victim.log.join(' | ')})`);
  const trainedBySurvivor = survivor.log.filter((l) => l.includes(': finished ')).length;
  assert.ok(trainedBySurvivor >= 1, 'the surviving worker took part');

  const records = readFileSync(join(out, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => JSON.parse(l));
  assert.equal(records.length, 6 * 6, 'every network of 6 seeds x 6 groups, once');
  assert.equal(new Set(records.map((r) => r.id)).size, records.length);
  const a = JSON.parse(readFileSync(join(local, 'affinity.json'), 'utf8'));
  const b = JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8'));
  a.mean.forEach((row: number[], i: number) =>
    row.forEach((v, j) => assert.ok(Math.abs(v - b.mean[i][j]) < 1e-5, `cell ${i},${j}: ${v} vs ${b.mean[i][j]}`)),
  );
});

test('a job that failed (the worker read other data) is queued again once the cause is fixed: rerunning the coordinator completes', async () => {
  const dir = tempDir();
  const csv = join(dir, 'data.csv');
  writePlantedCsv(csv, 120);
  const good = readFileSync(csv);
  const out = tempDir();
  const args = [
    'sweep',
    '--data',
    csv,
    '--tasks',
    'last:3',
    '--split',
    'holdout',
    '--seeds',
    '1',
    '--epochs',
    '1',
    '--hidden',
    '4',
    '--workers',
    '1',
    '--out',
    out,
  ];
  const first = spawn(process.execPath, [cli, ...args, '--queue', url], { stdio: ['ignore', 'ignore', 'pipe'] });
  const firstDone = finish(first);
  let worker: ReturnType<typeof startWorker> | undefined;
  try {
    // Once the coordinator has queued its job, the worker's copy of the data changes: the job fails on every attempt.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!existsSync(join(out, 'journal.jsonl'))) return;
        clearInterval(poll);
        resolve();
      }, 50);
    });
    writeFileSync(csv, Buffer.concat([good, Buffer.from(`${good.toString().split('\n')[1]}\n`)]));
    worker = startWorker();
    const failed = await firstDone;
    assert.equal(failed.code, 2, failed.stderr);
    assert.match(
      failed.stderr,
      /queue job s0 failed on every attempt: .*configuration hash mismatch.*rerun the same command/,
    );
    writeFileSync(csv, good); // the cause, fixed
    const second = await finish(
      spawn(process.execPath, [cli, ...args, '--queue', url], { stdio: ['ignore', 'ignore', 'pipe'] }),
    );
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /retrying queue job s0, which failed before/);
  } finally {
    first.kill('SIGKILL');
    worker?.child.kill('SIGTERM');
  }
  const records = readFileSync(join(out, 'journal.jsonl'), 'utf8').trim().split('\n').slice(1);
  assert.equal(records.length, 6, 'the retried job delivered all 6 networks of the seed');
});

test('--max-hours holds on a queue: past it the coordinator hands out no more jobs and exits 3; a rerun finishes the sweep as an uninterrupted one', async () => {
  const csv = join(tempDir(), 'data.csv');
  // other data than the other tests': their completed jobs (same configuration, same job ids) stay in this Redis
  writePlantedCsv(csv, 280);
  const local = tempDir();
  assert.equal(spawnSync(process.execPath, [cli, ...sweepArgs(csv, local)], { encoding: 'utf8' }).status, 0);
  const out = tempDir();
  // a limit of 2 s, which the plan of this small sweep passes; no worker runs until it has passed, so the coordinator
  // collects one job, hands out no more and withdraws the one not taken yet
  const limited = spawn(
    process.execPath,
    [cli, ...sweepArgs(csv, out), '--queue', url, '--max-hours', String(2 / 3600)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const limitedDone = finish(limited);
  let worker: ReturnType<typeof startWorker> | undefined;
  try {
    // until the journal is opened, or the coordinator has exited without one (then the checks below fail: under load
    // its start can outlast the 2 s, and waiting for the journal alone would hang the test)
    await new Promise<void>((resolve) => {
      const done = () => {
        clearInterval(poll);
        resolve();
      };
      const poll = setInterval(() => existsSync(join(out, 'journal.jsonl')) && done(), 20);
      void limitedDone.then(done);
    });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    worker = startWorker();
    const stopped = await limitedDone;
    assert.equal(stopped.code, 3, stopped.stderr);
    assert.match(
      stopped.stderr,
      /^tra: stopped at --max-hours [\d.e-]+: trained (6|12) networks in this run, (30|24) left to train \(every finished network is in .*journal\.jsonl\); rerun the same command/m,
    );
    const kept = readJournal(join(out, 'journal.jsonl')).records.size;
    assert.ok(kept === 6 || kept === 12, `at most the two jobs handed out were trained: ${kept}`);
    const rerun = await finish(
      spawn(process.execPath, [cli, ...sweepArgs(csv, out), '--queue', url], { stdio: ['ignore', 'ignore', 'pipe'] }),
    );
    assert.equal(rerun.code, 0, rerun.stderr);
  } finally {
    limited.kill('SIGKILL');
    worker?.child.kill('SIGTERM');
  }
  assert.equal(readJournal(join(out, 'journal.jsonl')).records.size, 36, 'every network once');
  const a = JSON.parse(readFileSync(join(local, 'affinity.json'), 'utf8'));
  const b = JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8'));
  a.mean.forEach((row: number[], i: number) =>
    row.forEach((v, j) => assert.ok(Math.abs(v - b.mean[i][j]) < 1e-5, `cell ${i},${j}: ${v} vs ${b.mean[i][j]}`)),
  );
});

test('Redis stopped mid-sweep: coordinator and worker stop with exit 2 saying to rerun; once Redis is back, rerunning both completes the sweep as an uninterrupted one', async () => {
  const csv = join(tempDir(), 'data.csv');
  writePlantedCsv(csv, 300);
  const local = tempDir();
  assert.equal(spawnSync(process.execPath, [cli, ...sweepArgs(csv, local)], { encoding: 'utf8' }).status, 0);

  let redis = await startRedis();
  const out = tempDir();
  const run = () => {
    const worker = spawn(process.execPath, [cli, 'worker', '--queue', redis.url, '--workers', '1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const coordinator = spawn(process.execPath, [cli, ...sweepArgs(csv, out), '--queue', redis.url], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return { worker, coordinator, workerDone: finish(worker), coordinatorDone: finish(coordinator) };
  };
  const first = run();
  let second: ReturnType<typeof run> | undefined;
  try {
    // stop Redis once the first networks are in the journal
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (
          existsSync(join(out, 'journal.jsonl')) &&
          readFileSync(join(out, 'journal.jsonl'), 'utf8').split('\n').length > 2
        ) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    await redis.stop();
    const [coordinator, worker] = await Promise.all([first.coordinatorDone, first.workerDone]);
    assert.equal(coordinator.code, 2, coordinator.stderr);
    assert.match(
      coordinator.stderr,
      /tra: lost the queue at redis:\/\/127\.0\.0\.1:\d+ \(.*\); rerun once Redis is back: finished networks are in the journal\n$/,
    );
    assert.equal(worker.code, 2, worker.stderr);
    assert.match(worker.stderr, /tra: lost the queue at .*; restart the worker once Redis is back/);
    const kept = readJournal(join(out, 'journal.jsonl'));
    assert.equal(kept.tornLine, false);
    assert.ok(kept.records.size > 0 && kept.records.size < 36, `stopped mid-sweep with ${kept.records.size} networks`);

    redis = await startRedis({ port: redis.port }); // back, empty (no persistence)
    second = run();
    const done = await second.coordinatorDone;
    assert.equal(done.code, 0, done.stderr);
    second.worker.kill('SIGTERM');
    const stopped = await second.workerDone;
    assert.equal(stopped.code, 0, `the worker stops when told: ${stopped.stderr}`);
  } finally {
    for (const child of [first.worker, first.coordinator, second?.worker, second?.coordinator]) child?.kill('SIGKILL');
    await redis.stop();
  }
  const records = readJournal(join(out, 'journal.jsonl')).records;
  assert.equal(records.size, 36, 'every network once');
  const a = JSON.parse(readFileSync(join(local, 'affinity.json'), 'utf8'));
  const b = JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8'));
  a.mean.forEach((row: number[], i: number) =>
    row.forEach((v, j) => assert.ok(Math.abs(v - b.mean[i][j]) < 1e-5, `cell ${i},${j}: ${v} vs ${b.mean[i][j]}`)),
  );
});

test('a worker told to stop while its Redis is down ends at once (its QUIT would wait for Redis for ever)', {
  timeout: 60_000,
}, async () => {
  const redis = await startRedis();
  const worker = spawn(process.execPath, [cli, 'worker', '--queue', redis.url, '--workers', '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const done = finish(worker);
  try {
    let said = '';
    await new Promise<void>((resolve) =>
      worker.stderr?.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes('waiting for jobs')) resolve();
      }),
    );
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 100)); // gone, not yet given up on (that takes about 3 s)
    worker.kill('SIGTERM');
    const { code, stderr } = await done;
    assert.equal(code, 0, stderr);
    assert.match(stderr, /stopping after the current job/);
  } finally {
    worker.kill('SIGKILL');
  }
});

test('a seed of more than SLICE_NETWORKS networks is queued as several jobs: the journal equals a local sweep, and Redis keeps no result once it is in the journal', async () => {
  const dir = tempDir();
  const csv = join(dir, 'data.csv');
  // 33 tasks: 33 singles and 528 pairs, two jobs of one seed
  const { dataset } = plantedClusters({ rows: 60, features: 4, clusters: 11, tasksPerCluster: 3, seed: 5 });
  writeFileSync(csv, datasetCsv(dataset));
  const backend = process.env.TRA_BACKEND ? ['--backend', process.env.TRA_BACKEND] : [];
  const args = (out: string) =>
    ['sweep', '--data', csv, '--tasks', 'last:33', '--split', 'holdout', '--seeds', '1', '--epochs', '2'].concat([
      '--hidden',
      '4',
      '--workers',
      '1',
      ...backend,
      '--out',
      out,
    ]);
  const local = join(dir, 'local');
  const reference = spawnSync(process.execPath, [cli, ...args(local), '--quiet'], { encoding: 'utf8' });
  assert.equal(reference.status, 0, reference.stderr);
  const out = join(dir, 'queued');
  const workers = [startWorker(), startWorker()];
  try {
    const coordinator = await finish(
      spawn(process.execPath, [cli, ...args(out), '--queue', url], { stdio: ['ignore', 'ignore', 'pipe'] }),
    );
    assert.equal(coordinator.code, 0, coordinator.stderr);
    assert.match(coordinator.stderr, /queued 2 job\(s\)/);
  } finally {
    for (const worker of workers) worker.child.kill('SIGTERM');
  }
  const expected = readJournal(join(local, 'journal.jsonl')).records;
  const queued = readJournal(join(out, 'journal.jsonl')).records;
  assert.equal(queued.size, 561);
  assert.deepEqual([...queued.keys()].sort(), [...expected.keys()].sort());
  for (const [id, record] of queued)
    record.testLoss.forEach((loss, k) =>
      assert.ok(Math.abs(loss - (expected.get(id)?.testLoss[k] ?? NaN)) < 1e-5, `${id}: ${loss}`),
    );
  const queue = new Queue(QUEUE_NAME, { connection: connectionOf(url) });
  try {
    const counts = await queue.getJobCounts('completed', 'waiting', 'active', 'failed');
    assert.deepEqual(counts, { completed: 0, waiting: 0, active: 0, failed: 0, paused: 0 });
  } finally {
    await queue.close();
  }
});
