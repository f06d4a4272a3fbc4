import { InputError } from '../data/errors.js';

/** Runs a command body: a user mistake prints one line and exits 2; anything else is a bug and keeps its stack. */
export function guarded<A extends unknown[]>(body: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      if (error instanceof InputError) {
        process.stderr.write(`tra: ${error.message}\n`);
        process.exit(2);
      }
      throw error;
    }
  };
}
