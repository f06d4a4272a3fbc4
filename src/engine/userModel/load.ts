import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { firstLine, InputError } from '../../data/errors.js';
import { selectBackend, type BackendName } from '../backend.js';
import type { UserModelModule } from './contract.js';

/** A user's model module as sweeps record it: where it is and what it holds (the hash is part of the configuration). */
export interface ModelRef {
  source: string;
  sha256: string;
}

/** Reads the module file once to fingerprint it. */
export function modelRef(path: string): ModelRef {
  return { source: path, sha256: createHash('sha256').update(readModule(path)).digest('hex') };
}

function readModule(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError(`model ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

const loaded = new Map<string, Promise<UserModelModule>>();

/**
 * Imports the module `ref` names and checks its exports. The file must still hold what was fingerprinted: a module
 * edited during a sweep would train some networks with one model and some with another.
 */
export function importUserModel(ref: ModelRef): Promise<UserModelModule> {
  const key = `${ref.source}#${ref.sha256}`;
  let module = loaded.get(key);
  if (!module) {
    module = importChecked(ref);
    loaded.set(key, module);
    module.catch(() => loaded.delete(key));
  }
  return module;
}

async function importChecked(ref: ModelRef): Promise<UserModelModule> {
  if (modelRef(ref.source).sha256 !== ref.sha256)
    throw new InputError(
      `model ${ref.source}: the file changed since this sweep was configured (sha256 ${ref.sha256.slice(0, 12)}); rerun the command to start from the new version`,
    );
  let exports: Record<string, unknown>;
  try {
    // The hash in the URL makes Node import the file's current content rather than a cached earlier version.
    exports = (await import(`${pathToFileURL(ref.source).href}?sha256=${ref.sha256}`)) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`model ${ref.source}: cannot be imported as an ES module (${firstLine(error)})`);
  }
  const found = Object.keys(exports).join(', ') || 'none';
  if (typeof exports.trunk !== 'function')
    throw new InputError(
      `model ${ref.source}: ${exports.trunk === undefined ? "no 'trunk' export" : `'trunk' is a ${typeof exports.trunk}, not a function`} ` +
        `(expected: export function trunk(input, { tf, inputShape, seed }) returning a [batch, width] tf.SymbolicTensor; exports found: ${found})`,
    );
  if (exports.loadData !== undefined && typeof exports.loadData !== 'function')
    throw new InputError(
      `model ${ref.source}: 'loadData' is a ${typeof exports.loadData}, not a function (expected: export async function loadData({ tf, dir }) returning { features, targets })`,
    );
  return exports as unknown as UserModelModule;
}

/** The name of the layer of task heads that tra adds on top of a user's trunk. */
export const HEADS_LAYER = 'task_heads';

/**
 * The user's trunk with one linear head per slot (a Dense layer of `slots` units: each unit is one task's head). Every
 * way the trunk can fail is an InputError naming the module.
 */
export function buildNetwork(
  module: UserModelModule,
  ref: ModelRef,
  inputShape: number[],
  slots: number,
  seed: number,
): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  let representation: unknown;
  try {
    representation = module.trunk(input, { tf, inputShape, seed });
  } catch (error) {
    throw new InputError(
      `model ${ref.source}: trunk threw on input shape [${inputShape.join(', ')}]: ${firstLine(error)}`,
    );
  }
  if (!(representation instanceof tf.SymbolicTensor))
    throw new InputError(
      `model ${ref.source}: trunk returned ${representation === null ? 'null' : typeof representation}, not a tf.SymbolicTensor (apply tfjs layers to its input and return the last one's output)`,
    );
  const shape = representation.shape;
  if (shape.length !== 2 || !(Number(shape[1]) > 0))
    throw new InputError(
      `model ${ref.source}: trunk returned shape [${shape.map(String).join(', ')}]; expected [batch, width] (end the trunk with tf.layers.flatten() or a dense layer)`,
    );
  const heads = tf.layers.dense({ units: slots, name: HEADS_LAYER }).apply(representation) as tf.SymbolicTensor;
  try {
    return tf.model({ inputs: input, outputs: heads });
  } catch (error) {
    throw new InputError(`model ${ref.source}: trunk's output is not computed from its input (${firstLine(error)})`);
  }
}

/**
 * One training step's forward and backward pass on 2 examples, on the active backend: undefined when it runs, the
 * missing kernel when the backend lacks one (wasm has no gradient kernels for convolutions), an InputError naming the
 * module for anything else.
 */
function probeTraining(
  module: UserModelModule,
  ref: ModelRef,
  inputShape: number[],
  slots: number,
): string | undefined {
  const probe = buildNetwork(module, ref, inputShape, slots, 0);
  try {
    tf.tidy(() => {
      const variables = probe.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value } = tf.variableGrads(() => {
        const out = probe.apply(tf.zeros([2, ...inputShape]), { training: true }) as tf.Tensor;
        if (out.shape.join() !== [2, slots].join())
          throw new InputError(
            `model ${ref.source}: the network's output has shape [${out.shape.join(', ')}] for 2 examples; expected [2, ${slots}]`,
          );
        return tf.sum(out) as tf.Scalar;
      }, variables);
      value.dataSync();
    });
    return undefined;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const message = firstLine(error);
    if (/not registered for backend/.test(message)) return message;
    throw new InputError(`model ${ref.source}: the network fails to train on a batch of 2 examples: ${message}`);
  } finally {
    probe.dispose();
  }
}

/** The tfjs backends a user's model may train on, fastest first (the native trainer runs the built-in MLP only). */
const MODEL_BACKENDS: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * Checks the module before anything trains (a bad trunk is the user's error, exit 2) and activates the backend it
 * trains on: the requested one, or the fastest that loads and has every kernel the model's training needs.
 */
export async function userModelBackend(
  requested: BackendName | undefined,
  ref: ModelRef,
  inputShape: number[],
  slots: number,
): Promise<BackendName> {
  if (requested === 'native')
    throw new InputError(
      `backend 'native' trains only the built-in MLP; the model ${ref.source} needs a tfjs backend (${MODEL_BACKENDS.join(', ')})`,
    );
  const module = await importUserModel(ref);
  const missing: string[] = [];
  for (const name of requested ? [requested] : MODEL_BACKENDS) {
    if (requested) await selectBackend(requested);
    else if (
      !(await selectBackend(name).then(
        () => true,
        () => false,
      ))
    )
      continue;
    const kernel = probeTraining(module, ref, inputShape, slots);
    if (kernel === undefined) return name;
    missing.push(kernel);
  }
  throw new InputError(
    `model ${ref.source}: cannot train on ${requested ?? 'any backend'} (${missing.join('; ')})${requested ? '; leave the backend unset to pick one that can' : ''}`,
  );
}
