import type { TaskKind } from '../data/dataset.js';
import { seededRandom, uniformSampler } from '../data/random.js';
import { RANDOM_STREAM } from '../data/split.js';
import type { EngineSettings } from './settings.js';

// What every trainer starts from (the seed's common weights and the head slots' tasks), kept apart from the tfjs
// model so that the native trainer's path never loads tfjs.

/**
 * How tra's trainers (the built-in networks and a user's model) start the networks of a seed, recorded in every
 * artefact they make: Standley et al. (and PyTorch's default) draw each task's head on its own in every network, so this
 * is a departure the output states. docs/COMMAND.md, "Initialisation", measures what it changes on yeast.
 */
export const COMMON_START =
  "every network of a seed starts from the same weights: the trunk drawn from the seed, and one head drawn from the seed copied to every task's head, so that a task starts alike alone and in every group (common random numbers)";

/** What feeds each network's head slots, network-major [K*S]: the task column, its weight (0: empty slot), 1 for BCE. */
export interface SlotLayout {
  slotTask: Int32Array;
  slotWeight: Float32Array;
  slotBinary: Uint8Array;
}

/** Slot s of network k serves task groups[k][s], weighted as the settings say (default 1); a smaller group leaves slots empty. */
export function slotLayout(groups: number[][], kinds: TaskKind[], settings: EngineSettings, slots: number): SlotLayout {
  const weights = settings.taskWeights ?? kinds.map(() => 1);
  const size = groups.length * slots;
  const layout = {
    slotTask: new Int32Array(size),
    slotWeight: new Float32Array(size),
    slotBinary: new Uint8Array(size),
  };
  groups.forEach((group, k) =>
    group.forEach((task, s) => {
      layout.slotTask[k * slots + s] = task;
      layout.slotWeight[k * slots + s] = weights[task];
      layout.slotBinary[k * slots + s] = kinds[task] === 'binary' ? 1 : 0;
    }),
  );
  return layout;
}

/** One network's layer: weight [in, out] row-major, bias [out]. */
export interface LayerWeights {
  weight: Float32Array;
  bias: Float32Array;
}

/**
 * The common start of every network of a seed: trunk layers and `slots` head units that all begin from one head's
 * weights, so that no slot (and no task) is favoured by its initialisation.
 */
export function seededWeights(inputWidth: number, hidden: number[], slots: number, seed: number): LayerWeights[] {
  const widths = [inputWidth, ...hidden];
  const trunk = initialLayers(widths, seed);
  const head = initialLayer(widths[widths.length - 1], 1, seededRandom(seed, RANDOM_STREAM.init + 100));
  const headWeight = Float32Array.from(
    { length: head.weight.length * slots },
    (_, i) => head.weight[Math.floor(i / slots)],
  );
  return [...trunk, { weight: headWeight, bias: new Float32Array(slots).fill(head.bias[0]) }];
}

/** PyTorch's default Linear initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, seeded. */
function initialLayer(fanIn: number, fanOut: number, random: () => number): LayerWeights {
  const bound = 1 / Math.sqrt(fanIn);
  const draw = uniformSampler(random, -bound, bound);
  return {
    weight: Float32Array.from({ length: fanIn * fanOut }, draw),
    bias: Float32Array.from({ length: fanOut }, draw),
  };
}

function initialLayers(widths: number[], seed: number): LayerWeights[] {
  const random = seededRandom(seed, RANDOM_STREAM.init);
  return widths.slice(1).map((out, l) => initialLayer(widths[l], out, random));
}
