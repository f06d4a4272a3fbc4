import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commandWorkspace, lossesById, tra, BACKEND_INDEPENDENT } from '../helpers/command.js';
import { cli } from '../helpers/killResume.js';
import { finish, startRedis } from '../helpers/queue.js';

let url = '';
let stopRedis = (): void => {};
before(async () => {
  ({ url, stop: stopRedis } = await startRedis());
});
after(() => stopRedis());

test(
  'two tra workers run a command sweep from the queue; the journal equals a local sweep',
  BACKEND_INDEPENDENT,
  async () => {
    const local = commandWorkspace({ seeds: 3 });
    assert.equal((await tra(local.dir, ['run', local.definition, '--quiet'])).code, 0);
    const ws = commandWorkspace({ seeds: 3 });
    const workers = [1, 2].map(() =>
      spawn(process.execPath, [cli, 'worker', '--queue', url, '--parallel', '2'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    const logs = workers.map(() => [] as string[]);
    workers.forEach((w, k) => w.stderr?.on('data', (chunk: Buffer) => logs[k].push(chunk.toString())));
    try {
      // both workers wait on the queue before the jobs come, so that each takes some
      while (!logs.every((log) => log.join('').includes('waiting for jobs')))
        await new Promise((resolve) => setTimeout(resolve, 50));
      const coordinator = await finish(
        spawn(process.execPath, [cli, 'run', ws.definition, '--queue', url, '--quiet'], {
          cwd: ws.dir,
          stdio: ['ignore', 'ignore', 'pipe'],
        }),
      );
      assert.equal(coordinator.code, 0, coordinator.stderr);
    } finally {
      for (const w of workers) w.kill('SIGTERM');
    }
    assert.deepEqual(lossesById(ws.out), lossesById(local.out));
    // the workers wrote each network's folder under the coordinator's output folder
    assert.ok(existsSync(join(ws.out, 'runs', 's2', '0+1', 'log.txt')));
    assert.ok(
      logs.every((log) => /finished s\d/.test(log.join(''))),
      `both workers took jobs: ${logs.map((l) => l.join('')).join(' | ')}`,
    );
  },
);
