import { selectBackend, type BackendName } from '../../src/engine/backend.js';

/** Tests run on the backend named by TRA_BACKEND (CI runs the suite per backend), else the best that loads. */
export const testBackend = (): Promise<BackendName> =>
  selectBackend((process.env.TRA_BACKEND || undefined) as BackendName | undefined);
