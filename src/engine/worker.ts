/** A worker thread with its own tfjs instance: trains one chunk of a batch (fused, or a user's model) and reports progress per epoch. */
import { parentPort } from 'node:worker_threads';
import { selectBackend } from './backend.js';
import { trainChunk } from './chunk.js';
import type { ChunkMessage, ChunkRequest } from './parallel.js';

const port = parentPort;
if (!port) throw new Error('engine/worker.js must run as a worker thread');
port.once('message', async (request: ChunkRequest) => {
  const send = (message: ChunkMessage): void => port.postMessage(message);
  try {
    await selectBackend(request.backend, { trainerOnly: !request.model });
    const outcomes = await trainChunk(request, (epoch, _, networkEpochs) =>
      send({ type: 'epoch', epoch, networkEpochs }),
    );
    send({ type: 'done', outcomes });
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
