import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A private redis-server on a random port, without persistence, for one test file's queue; `stop` kills it. */
export async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const port = 6400 + Math.floor(Math.random() * 500);
  const server = existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server';
  const redis = spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  redis.on('error', (error) =>
    assert.fail(`cannot start redis-server (apt-get install redis-server): ${error.message}`),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { url: `redis://127.0.0.1:${port}`, stop: () => redis.kill('SIGKILL') };
}

/** A child's exit code and stderr once it ends (spawnSync would block the event loop that a queue test waits on). */
export function finish(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}
