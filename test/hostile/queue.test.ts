/**
 * Hostile inputs: Queue: unreachable Redis and bad URLs are errors within seconds, not hangs; and a live Redis (a real
 * redis-server on loopback, IPv4 and IPv6) that refuses a database, or is stopped, or restarted without its data,
 * mid-sweep. The live cases do not depend on the training backend, so they run on one CI leg (the native one).
 */
import { spawn } from 'node:child_process';
import { type HostileCase, hostileTable, noJournal, sweep } from '../helpers/hostile.js';
import { cli } from '../helpers/killResume.js';
import { startRedis } from '../helpers/queue.js';

/** Ports for this file's servers, drawn at import (the servers start in hooks and setups). */
const base = 7000 + Math.floor(Math.random() * 400) * 4;
const SHARED = base;
const live = `redis://127.0.0.1:${SHARED}`;
let stopShared = (): unknown => undefined;
const oneLeg =
  process.env.TRA_BACKEND && process.env.TRA_BACKEND !== 'native'
    ? 'a live-queue case does not depend on the backend: it runs on the native leg'
    : undefined;

/** A worker process on `url` for the case, in its workspace (the definition's data path is relative); stopped after it. */
const worker =
  (url: string) =>
  (ws: string): (() => void) => {
    const child = spawn(process.execPath, [cli, 'worker', '--queue', url, '--workers', '1'], {
      cwd: ws,
      stdio: 'ignore',
    });
    return () => child.kill('SIGKILL');
  };
/** A private Redis on `port` for the case, stopped after `ms` (and, with `restart`, started again empty at once). */
const outage =
  (port: number, ms: number, restart = false) =>
  async (): Promise<() => void> => {
    let redis = await startRedis({ port });
    const timer = setTimeout(async () => {
      await redis.stop();
      if (restart) redis = await startRedis({ port });
    }, ms);
    return () => {
      clearTimeout(timer);
      void redis.stop();
    };
  };

const liveCases: HostileCase[] = [
  {
    name: 'sweep --queue on a database the server does not have',
    args: sweep('--queue', `${live}/99`),
    code: 2,
    says: new RegExp(
      `--queue '${live}/99': the server refuses database 99 \\(ERR DB index is out of range\\); it has databases 0 to 15`,
    ),
    then: noJournal('out'),
  },
  {
    name: 'worker on a database the server does not have',
    args: ['worker', '--queue', `${live}/16`],
    code: 2,
    says: /the server refuses database 16 \(ERR DB index is out of range\); it has databases 0 to 15/,
  },
  {
    name: 'sweep --queue on an IPv6 address in brackets, with a worker on it',
    setup: worker(`redis://[::1]:${SHARED}/3`),
    args: sweep('--queue', `redis://[::1]:${SHARED}/3`),
    code: 0,
    says: /wrote out\/affinity\.json/,
  },
  {
    name: 'Redis stopped mid-sweep: the coordinator stops',
    setup: outage(base + 1, 1500),
    args: sweep('--queue', `redis://127.0.0.1:${base + 1}`),
    code: 2,
    says: new RegExp(
      `lost the queue at redis://127\\.0\\.0\\.1:${base + 1} \\(.*\\); rerun once Redis is back: finished networks are in the journal`,
    ),
  },
  {
    name: 'Redis stopped: the worker stops',
    setup: outage(base + 2, 1000),
    args: ['worker', '--queue', `redis://127.0.0.1:${base + 2}`],
    code: 2,
    says: new RegExp(
      `lost the queue at redis://127\\.0\\.0\\.1:${base + 2} \\(.*\\); restart the worker once Redis is back \\(unfinished jobs return to the queue\\)`,
    ),
  },
  {
    name: 'Redis restarted without its data mid-sweep: the coordinator says to rerun',
    setup: outage(base + 3, 1500, true),
    args: sweep('--queue', `redis://127.0.0.1:${base + 3}`),
    code: 2,
    says: /queue job s0 is no longer on the queue at redis:\/\/127\.0\.0\.1:\d+ \(did Redis restart without its data\?\); rerun the same command, which queues it again/,
  },
].map((c) => ({ ...c, skip: oneLeg }));

export const kind = 'queue';
const offline: HostileCase[] = [
  {
    name: 'sweep --queue with nothing listening',
    files: {},
    args: sweep('--queue', 'redis://127.0.0.1:1'),
    code: 2,
    says: /cannot reach the queue at redis:\/\/127\.0\.0\.1:1 after 5 attempts .*ECONNREFUSED/,
    then: noJournal('out'),
  },
  {
    name: 'worker with nothing listening',
    files: {},
    args: ['worker', '--queue', 'redis://127.0.0.1:1'],
    code: 2,
    says: /cannot reach the queue at redis:\/\/127\.0\.0\.1:1 after 5 attempts/,
  },
  {
    name: 'worker with a bad database number',
    files: {},
    args: ['worker', '--queue', 'redis://127.0.0.1:1/abc'],
    code: 2,
    says: /the database number 'abc' must be a non-negative integer/,
  },
  {
    name: 'sweep --queue with a bad database number',
    files: {},
    args: sweep('--queue', 'redis://127.0.0.1:1/-1'),
    code: 2,
    says: /the database number '-1'/,
  },
  {
    name: 'sweep --queue not redis',
    files: {},
    args: sweep('--queue', 'http://127.0.0.1:1'),
    code: 2,
    says: /only redis:\/\/ URLs are supported/,
  },
  {
    name: 'worker --queue not a URL',
    files: {},
    args: ['worker', '--queue', 'localhost'],
    code: 2,
    says: /--queue 'localhost' is not a URL/,
  },
  {
    name: 'sweep --queue with --shard',
    files: {},
    args: sweep('--queue', 'redis://127.0.0.1:1', '--shard', '1/2'),
    code: 2,
    says: /--shard and --queue do not mix/,
  },
];
export const cases: HostileCase[] = [...offline, ...liveCases];

hostileTable(kind, cases, {
  before: async () => {
    if (!oneLeg) stopShared = (await startRedis({ port: SHARED, bind: '127.0.0.1 ::1' })).stop;
  },
  after: () => stopShared(),
});
