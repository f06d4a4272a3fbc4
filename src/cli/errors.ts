import { InputError } from '../data/errors.js';
import { TrainingFailure } from '../engine/parallel.js';

/**
 * Runs a command body: a user mistake prints one line and exits 2; networks that failed after retries print one line
 * and exit 1 (what finished is in the journal, a rerun resumes); anything else is a bug and keeps its stack.
 */
export function guarded<A extends unknown[]>(body: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      if (error instanceof InputError) {
        process.stderr.write(`tra: ${error.message}\n`);
        process.exit(2);
      }
      if (error instanceof TrainingFailure) {
        process.stderr.write(`tra: training failed: ${error.message}\nfinished networks are in the journal; rerun the same command to resume\n`);
        process.exit(1);
      }
      throw error;
    }
  };
}
