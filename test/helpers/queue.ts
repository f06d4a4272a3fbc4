import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

/**
 * A private redis-server on a random port (or `port`, to restart one), without persistence, bound to `bind` (default
 * 127.0.0.1; '::1' for IPv6; '127.0.0.1 ::1' for both), ready when this resolves; `stop` kills it.
 */
export async function startRedis(
  options: { port?: number; bind?: string } = {},
): Promise<{ url: string; port: number; stop: () => Promise<unknown> }> {
  const port = options.port ?? 6400 + Math.floor(Math.random() * 500);
  const bind = options.bind ?? '127.0.0.1';
  const server = existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server';
  const redis = spawn(
    server,
    ['--port', String(port), '--bind', ...bind.split(' '), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  redis.on('error', (error) =>
    assert.fail(`cannot start redis-server (apt-get install redis-server): ${error.message}`),
  );
  for (let attempt = 0; attempt < 100 && !(await accepts(bind.split(' ')[0], port)); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const first = bind.split(' ')[0];
  const host = first.includes(':') ? `[${first}]` : first;
  const exited = new Promise((resolve) => redis.once('exit', resolve));
  // stop() kills it; await it to reuse the port at once
  const stop = (): Promise<unknown> => {
    redis.kill('SIGKILL');
    return exited;
  };
  return { url: `redis://${host}:${port}`, port, stop };
}

/** Whether something accepts connections at host:port. */
const accepts = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

/** A child's exit code and stderr once it ends (spawnSync would block the event loop that a queue test waits on). */
export function finish(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}
