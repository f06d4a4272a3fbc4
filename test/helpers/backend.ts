import { selectBackend, type BackendName } from '../../src/engine/backend.js';
import { loadNativeTrainer } from '../../src/engine/native.js';

/** Tests run on the backend named by TRA_BACKEND (CI runs the suite per backend), else the best that loads. */
export const testBackend = (): Promise<BackendName> =>
  selectBackend((process.env.TRA_BACKEND || undefined) as BackendName | undefined);

/**
 * Why the native trainer cannot run here (a test's `skip`), or false where it is built; on the native leg of CI
 * (TRA_BACKEND=native) it must be, so there a missing trainer fails the test instead of skipping it.
 */
export const nativeMissing = (): string | false => {
  const trainer = loadNativeTrainer();
  if (typeof trainer !== 'string') return false;
  if (process.env.TRA_BACKEND === 'native') throw new Error(trainer);
  return trainer;
};
