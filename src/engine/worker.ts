/**
 * A worker thread with its own tfjs instance: trains the chunks it is sent (fused, or a user's model), one after another,
 * and reports progress per epoch. A chunk's thread is ended after it; a training lane's (lanes.ts) is kept for the next.
 */
import { parentPort } from 'node:worker_threads';
import { InputError } from '../data/errors.js';
import { selectBackend } from './backend.js';
import { trainChunk } from './chunk.js';
import { postedOutcomes, type ChunkMessage, type ChunkRequest } from './parallel.js';
import { interceptExit } from './userModel/exitGuard.js';
import { exitMessage } from './userModel/watchdog.js';

const port = parentPort;
if (!port) throw new Error('engine/worker.js must run as a worker thread');
port.on('message', async (request: ChunkRequest) => {
  const send = (message: ChunkMessage): void => port.postMessage(message);
  const { model } = request;
  if (model)
    interceptExit((code, call) => send({ type: 'input', message: exitMessage(model.ref.source, call, code) }))(
      'training (trunk() or a layer)',
    );
  try {
    await selectBackend(request.backend, { trainerOnly: !request.model });
    const outcomes = await trainChunk(request, (epoch, _, networkEpochs) =>
      send({ type: 'epoch', epoch, networkEpochs }),
    );
    send({ type: 'done', outcomes: postedOutcomes(outcomes) });
  } catch (error) {
    if (error instanceof InputError) send({ type: 'input', message: error.message });
    else send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
