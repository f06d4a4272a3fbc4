import type { Command } from 'commander';
import { defaultWorkers } from '../engine/parallel.js';
import { EXIT, guarded } from './errors.js';
import { addOptions } from './options.js';

export function registerWorker(program: Command): void {
  addOptions(
    program
      .command('worker')
      .description(
        "consume sweep jobs from a Redis queue (started by 'tra sweep --queue' or 'tra run --queue') until stopped",
      ),
    'worker',
  ).action(
    guarded(async (flags: { queue: string; workers?: number }) => {
      const workers = flags.workers ?? defaultWorkers();
      // imported when run: the queue client (bullmq) is no other command's start-up cost
      const { checkQueueReachable, startQueueWorker } = await import('../sweep/queue.js');
      const { trainQueueJob } = await import('../analysis/pairwise.js');
      await checkQueueReachable(flags.queue);
      const say = (line: string): void => void process.stderr.write(`tra worker ${process.pid}: ${line}\n`);
      const lost = (reason: string): void => {
        process.stderr.write(
          `tra: ${reason}; restart the worker once Redis is back (unfinished jobs return to the queue)\n`,
        );
        process.exit(EXIT.input);
      };
      const worker = startQueueWorker(flags.queue, (job) => trainQueueJob(job, workers), say, lost);
      say(`waiting for jobs on ${flags.queue}`);
      const stop = async (): Promise<void> => {
        say('stopping after the current job');
        await worker.close();
        process.exit(0);
      };
      process.removeAllListeners('SIGINT');
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    }),
  );
}
