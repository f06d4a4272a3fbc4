import { whileTraining } from './interrupt.js';
import { createHash } from 'node:crypto';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { InputError } from '../data/errors.js';
import { groupKey, networkId } from './plan.js';
import { clearLine, Progress } from './progress.js';
import { checkNetworkRecord, type NetworkRecord } from './record.js';
import {
  pastTimeLimit,
  slicesOf,
  TimeLimitReached,
  type OpenedSweep,
  type PendingBatch,
  type PendingSlice,
  type PlannedSweep,
  type SweepOutcome,
} from './run.js';

export const QUEUE_NAME = 'tra-sweep';

/**
 * A job: one slice (sweep/run.ts slicesOf: at most SLICE_NETWORKS) of one replication's missing networks of one sweep,
 * so that a 1000-task seed's 500,500 networks spread over every worker and each job's payload and result stay small;
 * identified by the sweep's configuration hash.
 */
export interface QueueJob {
  /** What a worker needs to rebuild the data and settings; it must reproduce `configHash` exactly. */
  analysis: unknown;
  configHash: string;
  batch: PendingBatch;
  /** The coordinator's output folder (a command writes its networks' folders there); default the definition's. */
  outDir?: string;
}

export interface QueueResult {
  /** The networks' journal records, made on the worker (sweep/run.ts batchRecords): compact per-epoch losses. */
  records: NetworkRecord[];
  backend: string;
  seconds: number;
  worker: string;
}

/** How long a worker may go silent before its job counts as stalled and goes back to the queue. */
export const LOCK_MS = 10_000;

/**
 * Jobs the coordinator keeps handed out (queued or in training, not yet collected) per worker connected, and at least:
 * each worker has its next job waiting, and past --max-hours at most these are still trained before the run stops.
 */
export const JOBS_PER_WORKER = 2;

/** Connection attempts before an unreachable Redis is reported (about 2 s in all), at start and after a lost connection. */
export const CONNECT_ATTEMPTS = 5;

export function connectionOf(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`--queue '${url}' is not a URL; expected redis://host:port`);
  }
  if (parsed.protocol !== 'redis:') throw new InputError(`--queue '${url}': only redis:// URLs are supported`);
  const database = parsed.pathname.length > 1 ? parsed.pathname.slice(1) : '0';
  if (!/^\d{1,9}$/.test(database))
    throw new InputError(
      `--queue '${url}': the database number '${database}' must be a non-negative integer (redis://host:port/0)`,
    );
  return {
    // URL keeps an IPv6 host in brackets ([::1]); the socket wants the address alone
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(parsed.port || 6379),
    db: Number(database),
    password: parsed.password || undefined,
    maxRetriesPerRequest: null,
    connectTimeout: 2000,
    // Bounded: an unreachable Redis is an error to report, not a wait without end.
    retryStrategy: (attempt: number) => (attempt >= CONNECT_ATTEMPTS ? null : Math.min(200 * attempt, 1000)),
  };
}

/**
 * Connects (within CONNECT_ATTEMPTS) or fails with an InputError saying where and why; then checks the database number
 * against the server, before anything is queued or taken: a client whose SELECT fails only reports it as an event
 * and carries on in database 0, where it would meet another run's jobs.
 */
async function reach(queue: Queue, url: string): Promise<void> {
  queue.on('error', () => undefined); // reported once, below, not on every attempt
  await queue.waitUntilReady().catch((error: Error) => {
    throw new InputError(
      `cannot reach the queue at ${url} after ${CONNECT_ATTEMPTS} attempts (${error.message}); is redis-server running there?`,
    );
  });
  const client = await queue.client;
  const db = Number(client.options.db ?? 0);
  await client.runCommand('select', [db]).catch(async (error: Error) => {
    const databases = await client
      .runCommand('config', ['GET', 'databases'])
      .then((reply: string[]) => reply[1])
      .catch(() => undefined);
    throw new InputError(
      `--queue '${url}': the server refuses database ${db} (${error.message})${databases ? `; it has databases 0 to ${Number(databases) - 1}` : ''}`,
    );
  });
  await queue.getJobCounts().catch((error: Error) => {
    throw new InputError(`the queue at ${url} refused the connection (${error.message})`);
  });
}

/** An error of a connection to Redis that is gone (as ioredis and BullMQ word it). */
const connectionLost = (error: unknown): boolean =>
  error instanceof Error &&
  /Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|max retries|Stream isn't writeable|Socket closed/i.test(
    error.message,
  );

/** Checks that a queue URL reaches a Redis server (a worker does this before it starts waiting for jobs). */
export async function checkQueueReachable(url: string): Promise<void> {
  const queue = new Queue(QUEUE_NAME, { connection: connectionOf(url) });
  try {
    await reach(queue, url);
  } finally {
    await queue.close().catch(() => undefined);
  }
}

/**
 * The coordinator: enqueues every replication the journal lacks (job ids derive from the configuration and the
 * replication, so enqueuing twice is harmless), then appends each finished job's networks to the journal as it
 * completes. The journal deduplicates by network id, so a job finished twice is still recorded once.
 */
export interface QueueSweep {
  url: string;
  /** What a worker rebuilds the sweep from (the analysis definition). */
  analysis: unknown;
  configHash: string;
  quiet?: boolean;
  /** Where the workers write a command's network folders (the coordinator's output folder). */
  outDir?: string;
  /**
   * Once `maxHours` have passed since `since` and this run has collected a job, no more jobs are handed out: those not
   * yet taken are withdrawn, those in training are collected, and the run stops (TimeLimitReached); a rerun resumes.
   */
  timeLimit?: PlannedSweep['timeLimit'];
}

export async function runSweepOnQueue(open: () => OpenedSweep, options: QueueSweep): Promise<SweepOutcome> {
  const queue = new Queue<QueueJob, QueueResult>(QUEUE_NAME, { connection: connectionOf(options.url) });
  try {
    // Reach the queue before the journal exists: an unreachable Redis leaves nothing behind.
    await reach(queue, options.url);
    return await whileTraining(() => coordinate(queue, open(), options));
  } catch (error) {
    if (!(error instanceof InputError) && connectionLost(error))
      throw new InputError(
        `lost the queue at ${options.url} (${(error as Error).message}); rerun once Redis is back: finished networks are in the journal`,
      );
    throw error;
  } finally {
    await queue.close().catch(() => undefined);
  }
}

/**
 * A job's result as journal records: each checked (sweep/record.ts) and one of the networks the job asked for, so that
 * a worker of another version or a garbled payload cannot put into the journal what the sweep did not plan.
 */
function checkedRecords(slice: PendingSlice, result: QueueResult): NetworkRecord[] {
  const asked = new Set(slice.groups.map((g) => networkId(slice.key, g)));
  for (const record of result.records) {
    const checked = checkNetworkRecord(record);
    if (!checked.ok || !asked.delete(record.id))
      throw new InputError(
        `queue job ${slice.label} returned ${checked.ok ? `network ${record.id}, which it was not asked for (or twice)` : `a bad network record (${checked.problem})`}; is ${result.worker} running another version of tra?`,
      );
  }
  if (asked.size > 0)
    throw new InputError(
      `queue job ${slice.label} returned no record of ${asked.size} of its networks (${[...asked][0]}, ...)`,
    );
  return result.records;
}

/** How long the coordinator waits before asking its jobs' states again when none finished. */
const POLL_MS = 500;

async function coordinate(
  queue: Queue<QueueJob, QueueResult>,
  opened: OpenedSweep,
  { url, analysis, configHash: configHashValue, quiet, outDir, timeLimit }: QueueSweep,
): Promise<SweepOutcome> {
  const { journal, inShardCount } = opened;
  const started = Date.now();
  // a slice's groups are made when it is handed out (or its id computed), not all at once
  const batches = slicesOf(opened);
  const trained = batches.networks;
  const progress = new Progress(trained, 'sweep (queue)', process.stderr, quiet);
  // The groups are part of the id: an allocation round may ask a replication for as many networks as an earlier round did.
  const jobId = (b: PendingBatch): string =>
    `${configHashValue.slice(0, 16)}-${b.key}-${b.groups.length}-${createHash('sha256').update(b.groups.map(groupKey).join(';')).digest('hex').slice(0, 12)}`;
  const ids = Array.from({ length: batches.length }, (_, k) => jobId(batches.at(k)));
  // A job that failed on an earlier run keeps its id (and its failure); its cause may be fixed now: queue it afresh.
  const earlier = await Promise.all(ids.map((id) => queue.getJobState(id)));
  for (const [k, id] of ids.entries()) {
    if (earlier[k] !== 'failed') continue;
    const batch = batches.at(k);
    const old = await queue.getJob(id);
    if (!quiet) process.stderr.write(`retrying queue job ${batch.label}, which failed before: ${old?.failedReason}\n`);
    await old?.remove();
  }
  // Jobs are handed out a few per worker at a time, not all at once, so that a run past its time limit can stop handing
  // them out; a worker finds its next job queued while it trains one.
  const handedOut = new Map<string, PendingSlice>();
  let next = 0;
  let stopping = false;
  const handOut = async (): Promise<void> => {
    if (stopping || next >= batches.length) return;
    const workers = await queue.getWorkersCount().catch(() => 0);
    const room = JOBS_PER_WORKER * Math.max(1, workers) - handedOut.size;
    const count = Math.max(0, Math.min(room, batches.length - next));
    if (count === 0) return;
    const more = Array.from({ length: count }, (_, k) => ({ id: ids[next + k], slice: batches.at(next + k) }));
    next += count;
    await queue.addBulk(
      more.map(({ id, slice: { label, ...batch } }) => ({
        name: label,
        data: { analysis, configHash: configHashValue, batch, ...(outDir ? { outDir } : {}) },
        opts: {
          jobId: id,
          attempts: 3,
          backoff: { type: 'fixed', delay: 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    for (const { id, slice } of more) handedOut.set(id, slice);
  };
  await handOut();
  if (!quiet && batches.length > 0)
    process.stderr.write(
      `queued ${batches.length} job(s) on ${url}, ${JOBS_PER_WORKER} per worker at a time; they run on workers started with: tra worker --queue ${url}\n`,
    );
  let collected = 0;
  while (handedOut.size > 0) {
    const collectedBefore = collected;
    // the states alone (no job's data), asked all at once
    const ids = [...handedOut.keys()];
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    for (const [k, id] of ids.entries()) {
      const batch = handedOut.get(id) as PendingSlice;
      const state = states[k];
      if (state === 'unknown')
        throw new InputError(
          `queue job ${batch.label} is no longer on the queue at ${url} (did Redis restart without its data?); rerun the same command, which queues it again`,
        );
      if (state === 'completed') {
        const job = await queue.getJob(id);
        if (!job?.returnvalue) continue;
        journal.append(checkedRecords(batch, job.returnvalue));
        // in the journal now: Redis need not keep the result (a rerun finds the networks in the journal)
        await job.remove();
        handedOut.delete(id);
        collected += batch.groups.length;
        progress.advance(batch.groups.length, `${batch.label} by ${job.returnvalue.worker}`);
      } else if (state === 'failed') {
        const job = await queue.getJob(id);
        throw new InputError(
          `queue job ${batch.label} failed on every attempt: ${job?.failedReason}; fix the cause and rerun the same command, which queues it again`,
        );
      } else if (stopping && state !== 'active') {
        // not taken by a worker yet: withdrawn (a worker that takes it meanwhile makes remove fail: it is collected)
        const job = await queue.getJob(id);
        const withdrawn = await (job?.remove() ?? Promise.resolve()).then(
          () => true,
          () => false,
        );
        if (withdrawn) handedOut.delete(id);
      }
    }
    if (!stopping && timeLimit && collected > 0 && pastTimeLimit(timeLimit)) stopping = true;
    else await handOut();
    // a pass that collected a job asks again at once: with jobs of a second, a pause would leave workers idle
    if (handedOut.size > 0 && collected === collectedBefore)
      await new Promise((resolve) => setTimeout(resolve, stopping ? 50 : POLL_MS));
  }
  if (timeLimit && stopping && collected < trained) {
    if (!quiet) clearLine();
    throw new TimeLimitReached(timeLimit.maxHours, collected, trained - collected, journal.path);
  }
  return { journal, trained, skipped: inShardCount - trained, seconds: (Date.now() - started) / 1000 };
}

/**
 * A queue consumer: trains each job it takes and returns its networks' records; returns a handle to stop it. `onLost` is called
 * once when the connection is gone for good (CONNECT_ATTEMPTS reconnections failed in a row).
 */
export function startQueueWorker(
  url: string,
  train: (job: QueueJob) => Promise<QueueResult>,
  onEvent: (line: string) => void,
  onLost: (reason: string) => void,
): { close: () => Promise<'closed' | 'lost'> } {
  const worker = new Worker<QueueJob, QueueResult>(QUEUE_NAME, (job) => train(job.data), {
    connection: connectionOf(url),
    concurrency: 1,
    lockDuration: LOCK_MS,
    stalledInterval: LOCK_MS,
    maxStalledCount: 3,
  });
  worker.on('active', (job) => onEvent(`training ${job.name} (${job.data.batch.groups.length} networks)`));
  worker.on('completed', (job) => onEvent(`finished ${job.name}`));
  worker.on('failed', (job, error) => onEvent(`failed ${job?.name}: ${error.message}`));
  let failuresInARow = 0;
  worker.on('ready', () => (failuresInARow = 0));
  worker.on('error', (error) => {
    failuresInARow++;
    if (failuresInARow === CONNECT_ATTEMPTS) onLost(`lost the queue at ${url} (${error.message})`);
    else if (failuresInARow < CONNECT_ATTEMPTS) onEvent(`queue error: ${error.message}`);
  });
  return {
    // Stopping waits for the current job, then says QUIT; a client whose Redis is gone would hold its QUIT until Redis
    // is back, so a queue error while stopping ends the wait (the job, unfinished, returns to the queue).
    close: () =>
      new Promise<'closed' | 'lost'>((resolve) => {
        worker.once('error', () => resolve('lost'));
        void worker.close().then(() => resolve('closed'));
      }),
  };
}
