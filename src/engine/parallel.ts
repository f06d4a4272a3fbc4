import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { TaskKind } from '../data/dataset.js';
import type { PreparedSplit } from '../data/split.js';
import { firstLine, InputError } from '../data/errors.js';
import type { BackendName } from './backend.js';
import type { EngineSettings } from './settings.js';
import type { EpochLosses, NetworkOutcome } from './train.js';
import { trainChunk } from './chunk.js';
import type { ModelRef } from './userModel/load.js';
import { settleOnce } from './settleOnce.js';
import { trainingSilenceMs, type Watchdog } from './userModel/watchdog.js';
import { defaultMemoryBudget, NATIVE_BATCH_BYTES, networksPerBatch, slotsOf } from './memory.js';

export interface ChunkRequest {
  data: PreparedSplit;
  kinds: TaskKind[];
  groups: number[][];
  settings: EngineSettings;
  seed: number;
  backend: BackendName;
  /**
   * The user's model (a definition's `"model"`), one example's shape and its watchdog (the measured step, or the
   * user's limit); absent: the built-in fused MLP.
   */
  model?: { ref: ModelRef; inputShape: number[]; watchdog?: Watchdog };
}

export type ChunkMessage =
  | { type: 'epoch'; epoch: number; networkEpochs: number }
  | { type: 'done'; outcomes: PostedOutcome[] }
  | { type: 'error'; message: string }
  /** The user's code misbehaved (ended the thread): the user's error, not retried. */
  | { type: 'input'; message: string };

/**
 * A network's outcome as a training thread posts it: its per-epoch losses as the selections it made, each once, and
 * which one each epoch reports. Copying a message costs per object, and byEpoch holds one per epoch (457,000 in a
 * 174-task seed's outcomes, about 2 s of the threads' time; 0.3 s in a yeast run to reliability 0.7).
 */
export interface PostedOutcome extends Omit<NetworkOutcome, 'byEpoch'> {
  selections: EpochLosses[];
  /** selectedAt[e - 1]: the index in `selections` of epoch e's. */
  selectedAt: number[];
}

/** Outcomes as posted (a selection is an epoch's losses, repeated by the training loop until the next one). */
export const postedOutcomes = (outcomes: NetworkOutcome[]): PostedOutcome[] =>
  outcomes.map(({ byEpoch, ...outcome }) => {
    const selections: EpochLosses[] = [];
    const selectedAt = byEpoch.map((losses) => {
      const last = selections[selections.length - 1];
      if (last?.validation !== losses.validation || last.test !== losses.test) selections.push(losses);
      return selections.length - 1;
    });
    return { ...outcome, selections, selectedAt };
  });

/** The outcomes a training thread posted (postedOutcomes), with every epoch's losses again. */
export const receivedOutcomes = (posted: PostedOutcome[]): NetworkOutcome[] =>
  posted.map(({ selections, selectedAt, ...outcome }) => ({
    ...outcome,
    byEpoch: selectedAt.map((k) => selections[k]),
  }));

/** Below this many networks per worker, starting a worker (a tfjs instance each) costs more than it saves. */
const MIN_NETWORKS_PER_WORKER = 4;

/** A crashed or hung worker's chunk is run again this many times before the sweep stops with an error. */
export const CHUNK_RETRIES = 2;

/** What a training thread may take to start (its own tfjs, backend and the user's module) before its first epoch. */
const THREAD_START_MS = 60_000;

/** Past this, a worker counts as hung: generous, since a chunk of a large sweep can take long (a user's model has its watchdog's limit on each epoch instead: userModel/watchdog.ts). */
export const DEFAULT_CHUNK_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/** Progress of a chunk: after each epoch, the network-epochs it completed (see EpochHook). */
type ChunkProgress = (epoch: number, networkEpochs: number) => void;

export type ChunkRunner = (
  request: ChunkRequest,
  onEpoch: ChunkProgress,
  timeoutMs: number,
) => Promise<NetworkOutcome[]>;

export const defaultWorkers = (): number => availableParallelism();

/**
 * Trains one seed's fused batch split across worker threads (each network's result does not depend on which other
 * networks share its batch, so the split changes nothing but the wall time). `onEpoch` receives how many
 * network-epochs a chunk completed (networks stopped by patience count their skipped epochs as done).
 */
export interface ParallelOptions {
  onEpoch?: (networkEpochs: number, epoch: number) => void;
  runner?: ChunkRunner;
  timeoutMs?: number;
  /** Never train on this thread: a queue worker must keep its event loop free to renew its job lock. */
  threadsOnly?: boolean;
  /** Memory one worker's batch may take; a larger share of networks is trained as several batches in turn. */
  memoryBudgetBytes?: number;
}

export async function trainNetworksInParallel(
  request: ChunkRequest,
  workers: number,
  options: ParallelOptions = {},
): Promise<NetworkOutcome[]> {
  const { onEpoch, runner = runChunkInWorker, timeoutMs = DEFAULT_CHUNK_TIMEOUT_MS, threadsOnly = false } = options;
  const chunks = parallelRuns(request.backend, workers, request.groups.length);
  const { data, settings } = request;
  const shape = {
    inputWidth: data.train.features.length / data.train.rows,
    hidden: settings.hidden,
    slots: slotsOf(request.groups),
    rows: Math.max(data.validation.rows, data.test.rows, settings.batchSize),
  };
  // A user's model trains network by network: one network in memory at a time, whatever the batch.
  const budget =
    options.memoryBudgetBytes ??
    (request.backend === 'native'
      ? Math.min(NATIVE_BATCH_BYTES, defaultMemoryBudget(chunks))
      : defaultMemoryBudget(chunks));
  const perBatch = request.model ? request.groups.length : networksPerBatch(shape, budget);
  const inBatches = (groups: number[][]): number[][][] =>
    Array.from({ length: Math.ceil(groups.length / perBatch) }, (_, b) =>
      groups.slice(b * perBatch, (b + 1) * perBatch),
    );
  const parts = Array.from({ length: chunks }, (_, c) => request.groups.filter((_, k) => k % chunks === c));
  const trainPart = async (groups: number[][]): Promise<NetworkOutcome[]> => {
    const outcomes: NetworkOutcome[] = [];
    for (const batch of inBatches(groups)) {
      const progress: ChunkProgress = (epoch, networkEpochs) => onEpoch?.(networkEpochs, epoch);
      // the user's code runs only in threads, where the watchdog can stop it
      if (chunks === 1 && !threadsOnly && !request.model)
        outcomes.push(
          ...(await trainChunk({ ...request, groups: batch }, (epoch, _, networkEpochs) =>
            progress(epoch, networkEpochs),
          )),
        );
      else
        outcomes.push(
          ...(await withRetries(
            { ...request, groups: batch },
            progress,
            runner,
            modelSilence(request, batch) ?? timeoutMs,
          )),
        );
    }
    return outcomes;
  };
  const results = await Promise.all(parts.map(trainPart));
  const byKey = new Map(results.flat().map((o) => [o.group.join('+'), o]));
  return request.groups.map((g) => byKey.get(g.join('+')) as NetworkOutcome);
}

/** Chunks a batch of `networks` is split into, one training thread each (at least MIN_NETWORKS_PER_WORKER networks each). */
export const parallelRuns = (backend: BackendName, workers: number, networks: number): number =>
  Math.max(1, Math.min(threadsFor(backend, workers), Math.floor(networks / MIN_NETWORKS_PER_WORKER)));

/** How long a thread training `groups` of the user's model may go without finishing an epoch (watchdog.ts). */
const modelSilence = (request: ChunkRequest, groups: number[][]): number | undefined =>
  request.model &&
  trainingSilenceMs(request.model.watchdog, {
    networks: groups.length,
    trainRows: request.data.train.rows,
    evaluationRows: request.data.validation.rows + request.data.test.rows,
    batchSize: request.settings.batchSize,
  });

/**
 * How many threads may train at once. On `tensorflow` one: tfjs-node's addon adds every op's attribute names to a
 * process-wide std::set without a lock (binding/tfjs_backend.cc, ATTR_NAME_SET), so two threads running ops at the same
 * time crash the process now and then (SIGSEGV in AssignOpAttr); and TensorFlow's kernels use every core on their own
 * (measured, yeast sweep: 25 s in one thread, 35 s in two). On `native` one: the trainer runs its own threads, one per
 * core (TRA_NATIVE_THREADS).
 */
export const threadsFor = (backend: BackendName, workers: number): number =>
  backend === 'tensorflow' || backend === 'native' ? 1 : workers;

/** Networks that could not be trained even after retries; the journal keeps everything finished before. */
export class TrainingFailure extends Error {
  override name = 'TrainingFailure';
}

/** Runs a chunk, again after a crash or a hang (up to CHUNK_RETRIES times); then fails naming its networks. */
async function withRetries(
  request: ChunkRequest,
  onEpoch: ChunkProgress,
  runner: ChunkRunner,
  timeoutMs: number,
): Promise<NetworkOutcome[]> {
  const failures: string[] = [];
  for (let attempt = 0; attempt <= CHUNK_RETRIES; attempt++) {
    try {
      return await runner(request, onEpoch, timeoutMs);
    } catch (error) {
      if (error instanceof InputError) throw error; // the user's code: the same again
      failures.push(firstLine(error));
      if (attempt < CHUNK_RETRIES)
        process.stderr.write(
          `training worker failed (${failures.at(-1)}); retrying its ${request.groups.length} networks\n`,
        );
    }
  }
  const networks = request.groups.map((g) => g.join('+')).join(', ');
  throw new TrainingFailure(
    `networks ${networks} of seed ${request.seed} failed ${CHUNK_RETRIES + 1} times: ${failures.join('; ')}`,
  );
}

/**
 * The default runner: one worker thread per chunk, terminated when it finishes, fails or outlives `timeoutMs` (a
 * user's model: goes `timeoutMs` without finishing an epoch, the user's error naming the module, not retried).
 */
export function runChunkInWorker(
  request: ChunkRequest,
  onEpoch: ChunkProgress,
  timeoutMs: number,
): Promise<NetworkOutcome[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url));
    const seconds = Math.round(timeoutMs / 1000);
    const hung = (): Error =>
      request.model
        ? new InputError(
            `model ${request.model.ref.source}: training did not finish an epoch within ${seconds} s (an endless loop in trunk() or a layer?); if it needs longer, give --watchdog <seconds>`,
          )
        : new Error(`training worker hung for more than ${seconds} s`);
    // the first epoch also waits for the thread to start (its tfjs, backend and the model's import)
    let timer = setTimeout(() => finish(() => reject(hung())), timeoutMs + (request.model ? THREAD_START_MS : 0));
    const finish = settleOnce(worker, () => timer);
    worker.on('message', (message: ChunkMessage) => {
      if (message.type === 'epoch') {
        if (request.model) {
          // the user's model: the limit is on the silence between epochs (the watchdog's)
          clearTimeout(timer);
          timer = setTimeout(() => finish(() => reject(hung())), timeoutMs);
        }
        onEpoch(message.epoch, message.networkEpochs);
      } else if (message.type === 'done') finish(() => resolve(receivedOutcomes(message.outcomes)));
      else if (message.type === 'input') finish(() => reject(new InputError(message.message)));
      else finish(() => reject(new Error(`training worker failed: ${message.message}`)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`training worker exited with code ${code} before finishing`))),
    );
    worker.postMessage(request);
  });
}
