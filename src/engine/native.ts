import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Part } from '../data/split.js';
import { slotLayout, type LayerWeights } from './start.js';
import type { EngineSettings } from './settings.js';
import type { EpochTrainer, TrainerSetup } from './train.js';

/** Where `npm install` (scripts/native/build-trainer.mjs) puts the compiled trainer. */
export const NATIVE_TRAINER_PATH = fileURLToPath(new URL('../../../native/build/trainer.node', import.meta.url));

/** Threads the native trainer uses (default: every core); `TRA_NATIVE_THREADS` overrides, e.g. for benchmarks. */
export const NATIVE_THREADS_ENV = 'TRA_NATIVE_THREADS';

type Handle = { readonly __nativeModel: unique symbol };

/** native/trainer.cc's exports. */
interface NativeAddon {
  create(spec: {
    widths: Int32Array;
    tasks: number;
    threads: number;
    learningRate: number;
    slotTask: Int32Array;
    slotWeight: Float32Array;
    slotBinary: Uint8Array;
    start: Float32Array;
    train: Part;
    validation: Part;
    test: Part;
  }): Handle;
  /**
   * One epoch of `networks`, each followed by its validation losses and, where their weighted total is below `best`'s
   * (one per network), its test losses: [2 x networks x S], validation then test (NaN where not evaluated).
   */
  trainEpoch(
    model: Handle,
    order: Int32Array,
    batchSize: number,
    networks: Int32Array,
    best: Float32Array,
  ): Float32Array;
  evaluate(model: Handle, part: 'validation' | 'test', networks: Int32Array): Float32Array;
  parameters(model: Handle, network: number): Float32Array;
  /** Frees the model's threads and buffers now rather than at garbage collection; the model cannot be used after. */
  release(model: Handle): void;
  /** Per thread, measured on all at once: clock and FMA rate (the benchmark's peak, see native/trainer.cc). */
  machinePeak(threads: number): { clockHz: number; flopsPerSecond: number }[];
  /**
   * AVX-512 builds only, for the tests: mismatches of Adam's software square root against the hardware's over every
   * float, and of the software Adam pass against the hardware one over random states (native/trainer.cc).
   */
  checkAdam?(): { sqrtMismatches: number; sqrtSoftwareLanes: number; adamMismatches: number; adamValues: number };
  avx2: boolean;
}

let loaded: NativeAddon | string | undefined;

/** The compiled trainer, or why it cannot be used (one line). Loaded once per thread. */
export function loadNativeTrainer(): NativeAddon | string {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)(NATIVE_TRAINER_PATH) as NativeAddon;
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
      loaded = missing
        ? `${NATIVE_TRAINER_PATH} is not built (npm install builds it where a C++ compiler and node's headers are present; see docs/BACKENDS.md "Native trainer")`
        : `${NATIVE_TRAINER_PATH} does not load: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  return loaded;
}

function nativeThreads(): number {
  const forced = Number(process.env[NATIVE_THREADS_ENV]);
  return Number.isInteger(forced) && forced > 0 ? forced : availableParallelism();
}

/**
 * One seed's fused networks on the native trainer (native/trainer.cc), driven by the engine's training loop through
 * positions j into the networks still training. Same network family, initial weights, batch order, losses and Adam as
 * FusedNetworks; the addon keeps each network's weights as one LayerWeights list, flattened.
 */
export class NativeFusedNetworks implements EpochTrainer {
  private readonly addon: NativeAddon;
  private readonly model: Handle;
  private readonly slots: number;
  private readonly widths: number[];
  private readonly slotWeight: Float32Array;
  /** active[j]: the addon's index of the network at position j. */
  private active: Int32Array;
  /**
   * best[k]: the lowest validation total network k has had, as the training loop (selectEpochs) keeps it: the addon
   * evaluates the test losses of an epoch whose total is lower along with the epoch, so that test() has them at hand.
   */
  private readonly best: Float32Array;
  /** The last epoch's losses by position, from the training call, until the positions change. */
  private evaluated?: { validation: Float32Array; test: Float32Array };

  private readonly settings: EngineSettings;

  constructor({ data, kinds, groups, settings, start }: TrainerSetup) {
    this.settings = settings;
    const addon = loadNativeTrainer();
    if (typeof addon === 'string') throw new Error(addon);
    this.addon = addon;
    this.slots = start[start.length - 1].bias.length;
    this.widths = [start[0].weight.length / start[0].bias.length, ...start.map((layer) => layer.bias.length)];
    const layout = slotLayout(groups, kinds, settings, this.slots);
    this.slotWeight = layout.slotWeight;
    const flat = start.flatMap((layer) => [layer.weight, layer.bias]);
    const parameters = new Float32Array(flat.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const values of flat) {
      parameters.set(values, at);
      at += values.length;
    }
    this.model = addon.create({
      widths: Int32Array.from(this.widths),
      tasks: kinds.length,
      threads: nativeThreads(),
      learningRate: settings.learningRate,
      ...layout,
      start: parameters,
      ...data,
    });
    this.active = Int32Array.from(groups, (_, k) => k);
    this.best = new Float32Array(groups.length).fill(Infinity);
  }

  trainEpoch(order: Int32Array): void {
    const best = Float32Array.from(this.active, (k) => this.best[k]);
    const losses = this.addon.trainEpoch(this.model, order, this.settings.batchSize, this.active, best);
    const n = this.active.length * this.slots;
    this.evaluated = { validation: losses.subarray(0, n), test: losses.subarray(n) };
  }

  validate(): { slots: Float32Array; totals: Float32Array } {
    const slots = this.evaluated?.validation ?? this.addon.evaluate(this.model, 'validation', this.active);
    const S = this.slots;
    // computed as the addon computes them (float products summed in double, rounded to float: the same bits)
    const totals = Float32Array.from(this.active, (k, j) => {
      let total = 0;
      for (let s = 0; s < S; s++) total += slots[j * S + s] * this.slotWeight[k * S + s];
      return total;
    });
    this.active.forEach((k, j) => {
      if (totals[j] < this.best[k]) this.best[k] = totals[j];
    });
    return { slots, totals };
  }

  test(positions: number[]): Float32Array {
    const S = this.slots;
    const ahead = this.evaluated?.test;
    // a NaN loss evaluated ahead is evaluated again, to the same NaN
    if (ahead && positions.every((j) => !Number.isNaN(ahead[j * S])))
      return Float32Array.from(
        { length: positions.length * S },
        (_, i) => ahead[positions[Math.floor(i / S)] * S + (i % S)],
      );
    return this.addon.evaluate(
      this.model,
      'test',
      Int32Array.from(positions, (j) => this.active[j]),
    );
  }

  weights(position: number): LayerWeights[] {
    const flat = this.addon.parameters(this.model, this.active[position]);
    let offset = 0;
    const take = (n: number): Float32Array => {
      offset += n;
      return flat.slice(offset - n, offset);
    };
    return this.widths.slice(1).map((out, l) => ({ weight: take(this.widths[l] * out), bias: take(out) }));
  }

  keep(positions: number[]): void {
    this.active = Int32Array.from(positions, (j) => this.active[j]);
    this.evaluated = undefined;
  }

  /** Ends the model's threads and hands its buffers to the next model (a sweep creates one per replication). */
  dispose(): void {
    this.addon.release(this.model);
  }
}
