import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { InputError } from '../data/errors.js';
import type { NetworkOutcome } from '../engine/train.js';
import { Progress } from './progress.js';
import { batchRecords, openSweep, type PendingBatch, type SweepOutcome, type SweepRequest } from './run.js';

export const QUEUE_NAME = 'tra-sweep';

/** A job: one replication's missing networks of one sweep, identified by the sweep's configuration hash. */
export interface QueueJob {
  /** What a worker needs to rebuild the data and settings; it must reproduce `configHash` exactly. */
  analysis: unknown;
  configHash: string;
  batch: PendingBatch;
}

export interface QueueResult {
  outcomes: NetworkOutcome[];
  backend: string;
  seconds: number;
  worker: string;
}

/** How long a worker may go silent before its job counts as stalled and goes back to the queue. */
export const LOCK_MS = 10_000;

export function connectionOf(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`--queue '${url}' is not a URL; expected redis://host:port`);
  }
  if (parsed.protocol !== 'redis:') throw new InputError(`--queue '${url}': only redis:// URLs are supported`);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 6379),
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    password: parsed.password || undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * The coordinator: enqueues every replication the journal lacks (job ids derive from the configuration and the
 * replication, so enqueuing twice is harmless), then appends each finished job's networks to the journal as it
 * completes. The journal deduplicates by network id, so a job finished twice is still recorded once.
 */
export async function runSweepOnQueue(request: SweepRequest, url: string, analysis: unknown, configHashValue: string): Promise<SweepOutcome> {
  const { journal, pending, inShardCount } = openSweep(request);
  const connection = connectionOf(url);
  const queue = new Queue<QueueJob, QueueResult>(QUEUE_NAME, { connection });
  const started = Date.now();
  const batches = pending.filter((b) => b.groups.length > 0);
  const trained = batches.reduce((n, b) => n + b.groups.length, 0);
  const progress = new Progress(trained, 'sweep (queue)', process.stderr, request.quiet);
  try {
    await queue.waitUntilReady().catch((error: Error) => {
      throw new InputError(`cannot reach the queue at ${url} (${error.message})`);
    });
    const jobId = (b: PendingBatch): string => `${configHashValue.slice(0, 16)}-${b.key}-${b.groups.length}`;
    await queue.addBulk(
      batches.map((batch) => ({
        name: batch.key,
        data: { analysis, configHash: configHashValue, batch },
        opts: { jobId: jobId(batch), attempts: 3, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false },
      })),
    );
    const waiting = new Map(batches.map((b) => [jobId(b), b]));
    while (waiting.size > 0) {
      for (const [id, batch] of waiting) {
        const job = await queue.getJob(id);
        if (!job) throw new Error(`job ${id} vanished from the queue`);
        const state = await job.getState();
        if (state === 'completed') {
          // The job may have completed between reading it and asking its state: read it again for its result.
          const result = job.returnvalue ?? (await queue.getJob(id))?.returnvalue;
          if (!result) continue;
          journal.append(batchRecords(batch, result.outcomes, result.backend, result.seconds));
          waiting.delete(id);
          progress.advance(batch.groups.length, `${batch.key} by ${result.worker}`);
        } else if (state === 'failed') {
          throw new InputError(`queue job ${batch.key} failed on every attempt: ${job.failedReason}`);
        }
      }
      if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await queue.close();
  }
  return { journal, trained, skipped: inShardCount - trained, seconds: (Date.now() - started) / 1000 };
}

/** A queue consumer: trains each job it takes and returns the outcomes; returns a handle to stop it. */
export function startQueueWorker(url: string, train: (job: QueueJob) => Promise<QueueResult>, onEvent: (line: string) => void): { close: () => Promise<void> } {
  const worker = new Worker<QueueJob, QueueResult>(QUEUE_NAME, (job) => train(job.data), {
    connection: connectionOf(url),
    concurrency: 1,
    lockDuration: LOCK_MS,
    stalledInterval: LOCK_MS,
    maxStalledCount: 3,
  });
  worker.on('active', (job) => onEvent(`training ${job.data.batch.key} (${job.data.batch.groups.length} networks)`));
  worker.on('completed', (job) => onEvent(`finished ${job.data.batch.key}`));
  worker.on('failed', (job, error) => onEvent(`failed ${job?.data.batch.key}: ${error.message}`));
  worker.on('error', (error) => onEvent(`queue error: ${error.message}`));
  return { close: () => worker.close() };
}
