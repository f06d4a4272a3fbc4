import { Worker } from 'node:worker_threads';
import { InputError } from '../../data/errors.js';
import { settleOnce } from '../settleOnce.js';
import type { Dataset, TaskKind } from '../../data/dataset.js';
import type { BackendName } from '../backend.js';
import type { ModelRef } from './load.js';

/**
 * The user's model module runs only in worker threads, under a watchdog: its import, loadData() and trunk() in a
 * probe thread (below), its training in the training threads (engine/parallel.ts). A call that ends the process
 * (process.exit), a promise that never settles (nothing left for it to wait for: the thread's event loop runs dry),
 * and a call that does not return in time (an endless loop, or a wait without end) are errors naming the module and
 * the call, exit code 2, instead of tra exiting 0 with nothing written, exiting 13 without a word, or hanging.
 *
 * How long is "in time": loading (import, loadData) and the first trunk may take LOAD_SECONDS; training, once one step
 * is measured, may go TRAINING_FACTOR times its predicted epoch without finishing one (at least MIN_SILENCE_SECONDS).
 * `--watchdog <seconds>` (definition field `watchdog`) replaces both.
 */
export const LOAD_SECONDS = 600;
export const TRAINING_FACTOR = 20;
export const MIN_SILENCE_SECONDS = 120;

/** What the watchdog knows: the measured step (after the probe) and the user's override. */
export interface Watchdog {
  /** One training step of one network (forward and backward pass on one batch), measured by the probe, in ms. */
  stepMs?: number;
  /** `--watchdog`: seconds a call, or an epoch of training, may take; replaces the derived limits. */
  seconds?: number;
}

/** Milliseconds a thread training `networks` of the user's model may go without finishing an epoch. */
export function trainingSilenceMs(
  watchdog: Watchdog | undefined,
  chunk: { networks: number; trainRows: number; evaluationRows: number; batchSize: number },
): number | undefined {
  if (watchdog?.seconds !== undefined) return watchdog.seconds * 1000;
  if (watchdog?.stepMs === undefined) return undefined;
  // an evaluation batch is a forward pass, about a third of a training step
  const steps = Math.ceil(chunk.trainRows / chunk.batchSize) + Math.ceil(chunk.evaluationRows / chunk.batchSize) / 3;
  return Math.max(MIN_SILENCE_SECONDS * 1000, TRAINING_FACTOR * chunk.networks * steps * watchdog.stepMs);
}

/** A job for the probe thread: import the module and check its exports, optionally load its data or try its trunk. */
export type ProbeJob =
  | { kind: 'load'; ref: ModelRef; loader?: { dir: string; tasks: string; taskKind: 'auto' | TaskKind } }
  | { kind: 'train'; ref: ModelRef; requested?: BackendName; inputShape: number[]; slots: number; batchSize: number };

export type ProbeReply =
  | { kind: 'load'; hasLoadData: boolean; dataset?: Dataset }
  | { kind: 'train'; backend: BackendName; stepMs: number };

/** What the probe thread posts: the call it enters, its answer, a user error, or an exit it intercepted. */
export type ProbeMessage =
  | { type: 'during'; call: string }
  | { type: 'done'; reply: ProbeReply }
  | { type: 'input'; message: string }
  | { type: 'error'; message: string }
  | { type: 'exit'; code: unknown; call: string };

/** The message of a call that ended the process, for the probe and the training threads alike. */
export const exitMessage = (source: string, call: string, code: unknown): string =>
  `model ${source}: ${call} called process.exit(${String(code ?? '')}); a model module must return or throw, never end the process`;

/**
 * Runs `job` in a probe thread and returns its reply; any way the user's code misbehaves is an InputError naming the
 * module and the call (see the file's comment). The thread is ended either way.
 */
export function probeUserModel<J extends ProbeJob>(
  job: J,
  watchdog: Watchdog = {},
): Promise<Extract<ProbeReply, { kind: J['kind'] }>> {
  const seconds = watchdog.seconds ?? LOAD_SECONDS;
  const source = job.ref.source;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./probeWorker.js', import.meta.url));
    let call = 'import';
    // each call of the user's gets `seconds`, counted from when it starts (the thread's own start is not counted)
    let timer: NodeJS.Timeout | undefined;
    const finish = settleOnce(worker, () => timer);
    const fail = (message: string): void => finish(() => reject(new InputError(message)));
    const hung = (): void =>
      fail(
        `model ${source}: ${call} did not finish within ${seconds} s (an endless loop, or a wait without end?); if it needs longer, give --watchdog <seconds>`,
      );
    worker.on('message', (message: ProbeMessage) => {
      if (message.type === 'during') {
        call = message.call;
        clearTimeout(timer);
        timer = setTimeout(hung, seconds * 1000);
      } else if (message.type === 'done')
        finish(() => resolve(message.reply as Extract<ProbeReply, { kind: J['kind'] }>));
      else if (message.type === 'input') fail(message.message);
      else if (message.type === 'exit') fail(exitMessage(source, message.call, message.code));
      else finish(() => reject(new Error(message.message)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    // The thread ends by itself only when nothing is left to run: the call's promise can never settle.
    worker.on('exit', () =>
      fail(
        `model ${source}: ${call === 'import' ? 'its top-level await' : call} never settles (its promise was left pending with nothing to wait for)`,
      ),
    );
    worker.postMessage(job);
  });
}
