import { Worker } from 'node:worker_threads';
import { defaultMemoryBudget, NATIVE_BATCH_BYTES } from './memory.js';
import { chunkOnWorker, type ChunkRunner } from './parallel.js';

/**
 * Slices a native sweep trains at once. Each trains on every core (native/trainer.cc's helper threads), but between its
 * calls to the trainer one thread runs JavaScript (an epoch's model selection) while the other cores wait, and so does
 * the main thread's work between slices (journal records, the next fold); a second slice in training fills those gaps.
 * A network's result does not depend on what trains beside it.
 */
export const LANES = 2;

/** Memory one lane's batch may take: the native batch's bound shared by the lanes, so that two at once take no more. */
export const LANE_BATCH_BYTES = Math.min(NATIVE_BATCH_BYTES, defaultMemoryBudget(1)) / LANES;

/**
 * A worker thread (worker.js) kept from chunk to chunk: starting one costs about 50 ms (its own modules and the
 * trainer), which a sweep of many slices would otherwise pay per slice. Chunks run in turn; a thread that failed, hung
 * or exited is replaced at the next chunk. An idle lane does not keep the process alive.
 */
export class TrainingLane {
  private worker: Worker | undefined;
  private idle: Promise<unknown> = Promise.resolve();

  /** Starts the thread now, so that its start overlaps the caller's work rather than the first chunk. */
  start(): this {
    this.thread();
    return this;
  }

  readonly run: ChunkRunner = (request, onEpoch, timeoutMs) => {
    // one chunk at a time: a chunk abandoned by its caller (another slice failed) still owns the thread's messages
    const run = this.idle.then(async () => {
      const worker = this.thread();
      worker.ref();
      try {
        return await chunkOnWorker(worker, request, onEpoch, timeoutMs);
      } catch (error) {
        this.worker = undefined;
        void worker.terminate();
        throw error;
      } finally {
        worker.unref();
      }
    });
    this.idle = run.catch(() => undefined);
    return run;
  };

  private thread(): Worker {
    if (!this.worker) {
      const worker = new Worker(new URL('./worker.js', import.meta.url));
      worker.unref();
      // between chunks nothing listens: a thread that dies idle is replaced at the next chunk, not reported
      worker
        .on('error', () => undefined)
        .on('exit', () => {
          if (this.worker === worker) this.worker = undefined;
        });
      this.worker = worker;
    }
    return this.worker;
  }
}

let lanes: TrainingLane[] | undefined;

/** The process's training lanes, started at the first call and kept for every later sweep (an adaptive run's rounds). */
export const trainingLanes = (): TrainingLane[] =>
  (lanes ??= Array.from({ length: LANES }, () => new TrainingLane().start()));
