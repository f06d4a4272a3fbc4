import type { Command } from 'commander';
import { trainQueueJob } from '../analysis/pairwise.js';
import { defaultWorkers } from '../engine/parallel.js';
import { connectionOf, startQueueWorker } from '../sweep/queue.js';
import { guarded } from './errors.js';
import { numeric } from './flags.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description("consume sweep jobs from a Redis queue (started by 'tra sweep --queue' or 'tra run --queue') until stopped")
    .requiredOption('--queue <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--workers <n>', 'worker threads per job (default: the number of cores)')
    .action(
      guarded(async (flags: { queue: string; workers?: string }) => {
        connectionOf(flags.queue);
        const workers = flags.workers === undefined ? defaultWorkers() : numeric('--workers', flags.workers);
        const say = (line: string): void => void process.stderr.write(`tra worker ${process.pid}: ${line}\n`);
        const worker = startQueueWorker(flags.queue, (job) => trainQueueJob(job, workers), say);
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
