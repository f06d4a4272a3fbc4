import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { TaskKind } from '../data/dataset.js';
import type { PreparedSplit } from '../data/split.js';
import type { BackendName } from './backend.js';
import type { EngineSettings } from './settings.js';
import { trainNetworks, type NetworkOutcome } from './train.js';

export interface ChunkRequest {
  data: PreparedSplit;
  kinds: TaskKind[];
  groups: number[][];
  settings: EngineSettings;
  seed: number;
  backend: BackendName;
}

export type ChunkMessage = { type: 'epoch'; epoch: number } | { type: 'done'; outcomes: NetworkOutcome[] } | { type: 'error'; message: string };

/** Below this many networks per worker, starting a worker (a tfjs instance each) costs more than it saves. */
const MIN_NETWORKS_PER_WORKER = 4;

export const defaultWorkers = (): number => availableParallelism();

/**
 * Trains one seed's fused batch split across worker threads (each network's result does not depend on which other
 * networks share its batch, so the split changes nothing but the wall time). `onEpoch` receives how many networks
 * finished another epoch.
 */
export async function trainNetworksInParallel(
  request: ChunkRequest,
  workers: number,
  onEpoch?: (networks: number, epoch: number) => void,
): Promise<NetworkOutcome[]> {
  const chunks = Math.max(1, Math.min(workers, Math.floor(request.groups.length / MIN_NETWORKS_PER_WORKER)));
  if (chunks === 1) return trainNetworks(request.data, request.kinds, request.groups, request.settings, request.seed, (epoch) => onEpoch?.(request.groups.length, epoch));
  const parts = Array.from({ length: chunks }, (_, c) => request.groups.filter((_, k) => k % chunks === c));
  const results = await Promise.all(parts.map((groups) => runChunk({ ...request, groups }, (epoch) => onEpoch?.(groups.length, epoch))));
  const byKey = new Map(results.flat().map((o) => [o.group.join('+'), o]));
  return request.groups.map((g) => byKey.get(g.join('+')) as NetworkOutcome);
}

function runChunk(request: ChunkRequest, onEpoch: (epoch: number) => void): Promise<NetworkOutcome[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url));
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      action();
      void worker.terminate();
    };
    worker.on('message', (message: ChunkMessage) => {
      if (message.type === 'epoch') onEpoch(message.epoch);
      else if (message.type === 'done') finish(() => resolve(message.outcomes));
      else finish(() => reject(new Error(`training worker failed: ${message.message}`)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`training worker exited with code ${code} before finishing`))));
    worker.postMessage(request);
  });
}
