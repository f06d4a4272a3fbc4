import { type Decided, writeArtefacts } from '../../src/analysis/write.js';

/** A runner followed by its writing step, for tests that read the files it decides. */
export const written =
  <A extends unknown[], R extends Decided>(runner: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    const result = await runner(...args);
    writeArtefacts(result);
    return result;
  };
