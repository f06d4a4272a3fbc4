/** A worker thread with its own tfjs instance: trains one chunk of a fused batch and reports progress per epoch. */
import { parentPort } from 'node:worker_threads';
import { selectBackend } from './backend.js';
import { trainNetworks } from './train.js';
import type { ChunkMessage, ChunkRequest } from './parallel.js';

const port = parentPort;
if (!port) throw new Error('engine/worker.js must run as a worker thread');
port.once('message', async (request: ChunkRequest) => {
  const send = (message: ChunkMessage): void => port.postMessage(message);
  try {
    await selectBackend(request.backend);
    const outcomes = trainNetworks(request.data, request.kinds, request.groups, request.settings, request.seed, (epoch, _, networkEpochs) => send({ type: 'epoch', epoch, networkEpochs }));
    send({ type: 'done', outcomes });
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
