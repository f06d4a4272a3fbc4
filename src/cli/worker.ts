import type { Command } from 'commander';
import { defaultWorkers } from '../engine/parallel.js';
import { InputError } from '../data/errors.js';
import { EXIT, guarded } from './errors.js';
import { addOptions, givenValues } from './options.js';
import { LAUNCH_OPTIONS } from '../options/command.js';
import { parseDevices } from '../engine/command/pool.js';

export function registerWorker(program: Command): void {
  addOptions(
    program
      .command('worker')
      .description(
        "consume sweep jobs from a Redis queue (started by 'tra sweep --queue' or 'tra run --queue') until stopped",
      ),
    'worker',
  ).action(
    guarded(async (flags: { queue: string; workers?: number } & Record<string, unknown>) => {
      const workers = flags.workers ?? defaultWorkers();
      // imported when run: the queue client (bullmq) is no other command's start-up cost
      const { checkQueueReachable, startQueueWorker } = await import('../sweep/queue.js');
      const { trainQueueJob } = await import('../analysis/pairwise.js');
      const { parallel, devices, timeout, retries } = givenValues(flags, LAUNCH_OPTIONS);
      // this machine's launch options replace the definition's (its devices are this machine's)
      const run = {
        ...(parallel === undefined ? {} : { parallel }),
        ...(devices === undefined ? {} : { devices: parseDevices(String(devices)) }),
        ...(timeout === undefined ? {} : { timeoutSeconds: timeout }),
        ...(retries === undefined ? {} : { retries }),
      };
      await checkQueueReachable(flags.queue);
      const say = (line: string): void => void process.stderr.write(`tra worker ${process.pid}: ${line}\n`);
      // Runs until stopped (exit 0) or until Redis is gone for good (exit 2, as any input error).
      await new Promise<void>((_, reject) => {
        const lost = (reason: string): void => {
          void worker.close().catch(() => undefined);
          reject(
            new InputError(`${reason}; restart the worker once Redis is back (unfinished jobs return to the queue)`),
          );
        };
        const worker = startQueueWorker(flags.queue, (job) => trainQueueJob(job, { workers, run }), say, lost);
        say(`waiting for jobs on ${flags.queue}`);
        const stop = async (): Promise<void> => {
          say('stopping after the current job (stop it again to stop at once: the job returns to the queue)');
          for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(EXIT.ok));
          if ((await worker.close()) === 'lost')
            say('stopped without Redis (gone): unfinished jobs return to the queue');
          process.exit(EXIT.ok);
        };
        process.once('SIGINT', () => void stop());
        process.once('SIGTERM', () => void stop());
      });
    }),
  );
}
