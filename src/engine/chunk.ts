import type { ChunkRequest } from './parallel.js';
import { trainNetworks, type EpochHook, type NetworkOutcome } from './train.js';
import { importUserModel } from './userModel/load.js';
import { trainUserNetworks } from './userModel/trainer.js';

/** Trains one chunk in this thread: the built-in fused networks, or the user's model network by network. */
export async function trainChunk(request: ChunkRequest, onEpoch?: EpochHook): Promise<NetworkOutcome[]> {
  const { data, kinds, groups, settings, seed, model } = request;
  if (!model) return trainNetworks(data, kinds, groups, settings, seed, onEpoch);
  const module = await importUserModel(model.ref);
  return trainUserNetworks(
    { data, kinds, groups, settings, seed, module, model: model.ref, inputShape: model.inputShape },
    onEpoch,
  );
}
