import type * as Tf from '@tensorflow/tfjs';
import { InputError } from '../data/errors.js';
import { loadNativeTrainer } from './native.js';
import type { TfjsTrainer } from './tfjsTrainer.js';

/**
 * The engine's backends, in the order the default selection tries them: `native` (the fused trainer compiled by
 * `npm install`, native/trainer.cc, for the built-in network family; general tensor work such as proxies' step hooks
 * then runs on the best tfjs backend that loads), then the tfjs backends `tensorflow` (@tensorflow/tfjs-node),
 * `wasm` and `cpu`.
 */
export const BACKENDS = ['native', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
const TFJS_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
type TfjsBackend = (typeof TFJS_BACKENDS)[number];

let nativeTrainer = false;

/** tfjs and the trainer built on it: imported with the first tfjs backend, so that a native sweep never loads them. */
interface Tfjs {
  tf: typeof Tf;
  TfjsTrainer: typeof TfjsTrainer;
}
let tfjs: Tfjs | undefined;

/** tfjs as loaded by the active tfjs backend; an error when none is (the native trainer alone needs no tfjs). */
export function loadedTfjs(): Tfjs {
  if (!tfjs) throw new Error('no tfjs backend is active: select one (selectBackend) before tensor work');
  return tfjs;
}

/** Whether trainNetworks runs on the native trainer (the `native` backend is selected in this thread). */
export const usesNativeTrainer = (): boolean => nativeTrainer;

/** The selected backend's name, as outputs record it. */
export const activeBackend = (): BackendName =>
  nativeTrainer ? 'native' : (loadedTfjs().tf.getBackend() as BackendName);

async function activateTfjs(name: TfjsBackend): Promise<boolean> {
  try {
    tfjs ??= { tf: await import('@tensorflow/tfjs'), TfjsTrainer: (await import('./tfjsTrainer.js')).TfjsTrainer };
    const { tf } = tfjs;
    if (name === 'tensorflow') {
      // libtensorflow's C++ start-up notices (CPU features) are noise on a user's terminal.
      process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
      await import('@tensorflow/tfjs-node' as string);
    }
    if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Activates a backend: true, or why it cannot load. `native` also activates the best tfjs backend for the tensor work
 * outside the trainer (proxies' step hooks, a taxonomy's transfers), unless the caller only trains (`trainerOnly`).
 */
async function activate(name: BackendName, trainerOnly: boolean): Promise<true | string> {
  nativeTrainer = false;
  if (name !== 'native') return (await activateTfjs(name)) || `backend '${name}' could not be loaded`;
  const trainer = loadNativeTrainer();
  if (typeof trainer === 'string') return trainer;
  if (trainerOnly) {
    nativeTrainer = true;
    return true;
  }
  for (const general of TFJS_BACKENDS)
    if (await activateTfjs(general)) {
      nativeTrainer = true;
      return true;
    }
  return 'no tfjs backend loads for the work outside the trainer';
}

let fallbackSaid = false;

/**
 * Picks the fastest backend that loads (BACKENDS order); when the native trainer is not available, says why in one
 * line (once per process). An explicitly requested backend that cannot load is a user error. `trainerOnly`: the caller
 * only trains built-in networks, so the native trainer needs no tfjs backend beside it (a sweep starts faster).
 */
export async function selectBackend(
  requested?: BackendName,
  { trainerOnly = false }: { trainerOnly?: boolean } = {},
): Promise<BackendName> {
  if (requested !== undefined) {
    if (!BACKENDS.includes(requested))
      throw new InputError(`unknown backend '${requested}'; choose one of ${BACKENDS.join(', ')}`);
    const outcome = await activate(requested, trainerOnly);
    if (outcome === true) return requested;
    const hint =
      requested === 'tensorflow' ? ' (install @tensorflow/tfjs-node, see docs/BACKENDS.md "tensorflow backend")' : '';
    throw new InputError(requested === 'native' ? `backend 'native': ${outcome}` : `${outcome}${hint}`);
  }
  for (const name of BACKENDS) {
    const outcome = await activate(name, trainerOnly);
    if (outcome === true) return name;
    if (name === 'native' && !fallbackSaid) {
      fallbackSaid = true;
      process.stderr.write(`native trainer unavailable, using a tfjs backend: ${outcome}\n`);
    }
  }
  throw new Error('no TensorFlow.js backend could be loaded');
}
