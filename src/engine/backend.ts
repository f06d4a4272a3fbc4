import * as tf from '@tensorflow/tfjs';
import { InputError } from '../data/errors.js';

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

async function activate(name: BackendName): Promise<boolean> {
  try {
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
 * Picks the fastest backend that loads: the native `tensorflow` backend when @tensorflow/tfjs-node is installed,
 * else `wasm`, else `cpu`. An explicitly requested backend that cannot load is a user error.
 */
export async function selectBackend(requested?: BackendName): Promise<BackendName> {
  if (requested !== undefined) {
    if (!BACKENDS.includes(requested)) throw new InputError(`unknown backend '${requested}'; choose one of ${BACKENDS.join(', ')}`);
    if (await activate(requested)) return requested;
    const hint = requested === 'tensorflow' ? ' (install @tensorflow/tfjs-node, see README "Native backend")' : '';
    throw new InputError(`backend '${requested}' could not be loaded${hint}`);
  }
  for (const name of BACKENDS) if (await activate(name)) return name;
  throw new Error('no TensorFlow.js backend could be loaded');
}
