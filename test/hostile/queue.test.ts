/** Hostile inputs: Queue: unreachable Redis and bad URLs are errors within seconds, not hangs. */
import { type HostileCase, hostileTable, noJournal, sweep } from '../helpers/hostile.js';

export const kind = 'queue';
export const cases: HostileCase[] = [
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

hostileTable(kind, cases);
