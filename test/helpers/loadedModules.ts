/**
 * Preloaded with `node --import` into a child process: at its exit, writes every module file it loaded (ES modules as
 * the loader saw them, CommonJS ones and addons from require's cache), one path a line, to $TRA_TEST_LOADED_MODULES.
 * Registered as its own loader: the hooks run on the loader's thread and post each URL back to the main thread.
 */
import { createRequire, register } from 'node:module';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, MessageChannel, type MessagePort } from 'node:worker_threads';

let port: MessagePort | undefined;

/** Loader thread: the port the main thread handed over. */
export function initialize(data: { port: MessagePort }): void {
  port = data.port;
}

/** Loader thread: every module load, reported by URL. */
export async function load(
  url: string,
  context: unknown,
  next: (url: string, context: unknown) => Promise<unknown>,
): Promise<unknown> {
  port?.postMessage(url);
  return next(url, context);
}

if (isMainThread) {
  const urls: string[] = [];
  const channel = new MessageChannel();
  channel.port1.on('message', (url: string) => urls.push(url));
  channel.port1.unref();
  register(import.meta.url, { data: { port: channel.port2 }, transferList: [channel.port2] });
  process.on('exit', () => {
    const esm = urls.filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url));
    const cjs = Object.keys(createRequire(import.meta.url).cache);
    writeFileSync(
      process.env.TRA_TEST_LOADED_MODULES ?? 'loaded-modules.txt',
      [...new Set([...esm, ...cjs])].join('\n'),
    );
  });
}
