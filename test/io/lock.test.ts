import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCK_FILE, lockFolder, lockScope } from '../../src/io/lock.js';
import { tempDir } from '../helpers/files.js';

const lockModule = fileURLToPath(new URL('../../src/io/lock.js', import.meta.url));

/** Another process that locks `dir` and prints the outcome (or holds it until killed). */
const otherLock = (dir: string, hold = false) => [
  '--input-type=module',
  '-e',
  `const { lockFolder, lockScope } = await import(${JSON.stringify(lockModule)});
     try { await lockScope(async () => { lockFolder(${JSON.stringify(dir)}); console.log('locked');
       ${hold ? 'await new Promise(() => setInterval(() => {}, 1000));' : ''} }); }
     catch (error) { console.log(error.message); }`,
];

test('a folder locked by a running process is refused naming its pid; released when the scope ends', async () => {
  const dir = tempDir();
  await lockScope(() => {
    lockFolder(dir);
    lockFolder(dir); // again in this process: allowed
    const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    assert.equal(holder.pid, process.pid);
    const other = spawnSync(process.execPath, otherLock(dir), { encoding: 'utf8' });
    assert.match(
      other.stdout,
      new RegExp(
        `is in use by another tra \\(pid ${process.pid}, tra, since .*\\); wait for it to finish, or if that process is gone, delete .*\\.tra-lock`,
      ),
    );
  });
  assert.ok(!existsSync(join(dir, LOCK_FILE)), 'released');
  assert.equal(spawnSync(process.execPath, otherLock(dir), { encoding: 'utf8' }).stdout.trim(), 'locked');
});

test('processes that lock one folder at the same moment: exactly one holds it, each other refuses naming it', async () => {
  const dir = tempDir();
  const at = Date.now() + 1500; // every racer waits for this moment after its start-up
  const racer = () =>
    spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { lockFolder, lockScope } = await import(${JSON.stringify(lockModule)});
         while (Date.now() < ${at});
         await lockScope(async () => {
           try { lockFolder(${JSON.stringify(dir)}); console.log('locked'); await new Promise((r) => setTimeout(r, 500)); }
           catch (error) { console.log(error.message); }
         });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
  const racers = Array.from({ length: 4 }, racer);
  const said = await Promise.all(
    racers.map(
      (child) =>
        new Promise<string>((resolve) => {
          let text = '';
          child.stdout.on('data', (chunk: Buffer) => (text += chunk));
          child.on('exit', () => resolve(text.trim()));
        }),
    ),
  );
  const winners = said.filter((line) => line === 'locked');
  assert.equal(winners.length, 1, said.join(' | '));
  const winner = racers[said.indexOf('locked')].pid;
  for (const line of said.filter((l) => l !== 'locked'))
    assert.match(line, new RegExp(`is in use by another tra \\(pid ${winner}, `));
});

test('a lock whose process was killed is stale and taken over, with the temporary file of its write in progress', async () => {
  const dir = tempDir();
  const holder = spawn(process.execPath, otherLock(dir, true), { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
  await lockScope(() => assert.throws(() => lockFolder(dir), /in use by another tra \(pid \d+/));
  holder.kill('SIGKILL');
  await new Promise((resolve) => holder.once('exit', resolve));
  assert.ok(existsSync(join(dir, LOCK_FILE)), 'the killed process left its lock');
  // what io/write.ts leaves when killed mid-write, beside a user's file of a similar name and another process's temporary
  const leftover = `.grouping.json.${holder.pid}.3.tmp`;
  const kept = ['notes.tmp', `.grouping.json.${process.pid}7.0.tmp`];
  for (const name of [leftover, ...kept]) writeFileSync(join(dir, name), '{"half":');
  await lockScope(() => {
    lockFolder(dir);
    assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
  });
  assert.deepEqual(readdirSync(dir).sort(), kept.sort());
});

test('a live pid that started at another time is a reused pid: its lock is stale; at its own start, it holds', async () => {
  const dir = tempDir();
  const live = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    const stat = readFileSync(`/proc/${live.pid}/stat`, 'utf8');
    const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const lock = (at: string) => ({
      pid: live.pid,
      host: hostname(),
      started: at,
      command: 'tra sweep',
      since: 'noon',
    });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(lock(started)));
    await lockScope(() =>
      assert.throws(
        () => lockFolder(dir),
        new RegExp(`in use by another tra \\(pid ${live.pid}, tra sweep, since noon\\)`),
      ),
    );
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(lock(`${Number(started) - 1}`)));
    await lockScope(() => {
      lockFolder(dir);
      assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid, 'taken over');
    });
  } finally {
    live.kill('SIGKILL');
  }
});

test('a lock naming this process that it does not hold (left behind) is stale', async () => {
  const dir = tempDir();
  const mine = { pid: process.pid, host: hostname(), command: 'tra sweep', since: 'noon' };
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(mine));
  await lockScope(() => lockFolder(dir));
  assert.ok(!existsSync(join(dir, LOCK_FILE)), 'taken over, then released');
});

test('a lock held on another host is refused naming the host', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, LOCK_FILE),
    JSON.stringify({ pid: 1, host: 'elsewhere', command: 'tra sweep', since: 'noon' }),
  );
  await lockScope(() =>
    assert.throws(() => lockFolder(dir), /in use by another tra \(pid 1 on elsewhere, tra sweep, since noon\)/),
  );
});

test('outside a lock scope nothing is locked (an in-process caller is not locked against its own children)', () => {
  const dir = tempDir();
  lockFolder(dir);
  assert.ok(!existsSync(join(dir, LOCK_FILE)));
});
