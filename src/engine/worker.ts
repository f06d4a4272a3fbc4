/** A worker thread with its own tfjs instance: trains one chunk of a batch (fused, or a user's model) and reports progress per epoch. */
import { parentPort } from 'node:worker_threads';
import { InputError } from '../data/errors.js';
import { selectBackend } from './backend.js';
import { trainChunk } from './chunk.js';
import { postedOutcomes, type ChunkMessage, type ChunkRequest } from './parallel.js';
import { interceptExit } from './userModel/exitGuard.js';
import { exitMessage } from './userModel/watchdog.js';

/**
 * A message costs both threads about 0.2 ms (a yeast slice's epoch takes about 10 ms); a user's model still posts every
 * epoch, which its watchdog counts as a sign of life.
 */
const PROGRESS_MS = 100;

const port = parentPort;
if (!port) throw new Error('engine/worker.js must run as a worker thread');
port.once('message', async (request: ChunkRequest) => {
  const send = (message: ChunkMessage): void => port.postMessage(message);
  const { model } = request;
  if (model)
    interceptExit((code, call) => send({ type: 'input', message: exitMessage(model.ref.source, call, code) }))(
      'training (trunk() or a layer)',
    );
  try {
    await selectBackend(request.backend, { trainerOnly: !request.model });
    // the built-in networks' progress only moves the bar: posted at most every PROGRESS_MS, the epochs between summed
    let unsent = { epoch: 0, networkEpochs: 0 };
    let sentAt = 0;
    const flush = (): void => {
      if (unsent.networkEpochs > 0) send({ type: 'epoch', ...unsent });
      unsent = { epoch: 0, networkEpochs: 0 };
      sentAt = Date.now();
    };
    const outcomes = await trainChunk(request, (epoch, _, networkEpochs) => {
      unsent = { epoch, networkEpochs: unsent.networkEpochs + networkEpochs };
      if (model || Date.now() - sentAt >= PROGRESS_MS) flush();
    });
    flush();
    send({ type: 'done', outcomes: postedOutcomes(outcomes) });
  } catch (error) {
    if (error instanceof InputError) send({ type: 'input', message: error.message });
    else send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
