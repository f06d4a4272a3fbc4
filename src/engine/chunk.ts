import type { ChunkRequest } from './parallel.js';
import { trainNetworks, type EpochHook, type NetworkOutcome } from './train.js';

/** Trains one chunk in this thread: the built-in fused networks, or the user's model network by network. */
export async function trainChunk(request: ChunkRequest, onEpoch?: EpochHook): Promise<NetworkOutcome[]> {
  const { data, kinds, groups, settings, seed, model } = request;
  if (!model) return trainNetworks(data, kinds, groups, settings, seed, onEpoch);
  // imported only for a user's model: they load tfjs, which the built-in networks on the native trainer do not need
  const { importUserModel } = await import('./userModel/load.js');
  const { trainUserNetworks } = await import('./userModel/trainer.js');
  const module = await importUserModel(model.ref);
  return trainUserNetworks(
    { data, kinds, groups, settings, seed, module, model: model.ref, inputShape: model.inputShape },
    onEpoch,
  );
}
