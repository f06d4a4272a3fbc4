import { CommanderError } from '../vendor/commander.js';
import { InputError } from '../data/errors.js';
import { TrainingFailure } from '../engine/parallel.js';
import { fileSystemError } from '../io/errors.js';
import { TimeLimitReached } from '../sweep/run.js';

/**
 * Exit codes (docs/RUNNING.md "Exit codes"): 0 done; 1 training failed after retries (what finished is in the journal, a rerun
 * resumes); 2 the user's input (a file, flag, definition, journal or queue) is wrong or the file system refused (full,
 * read-only, permissions); 3 incomplete: `tra merge` found missing networks, or a sweep stopped at --max-hours (a rerun
 * resumes); 70 an internal error (a bug in tra).
 */
export const EXIT = { ok: 0, training: 1, input: 2, incomplete: 3, internal: 70 } as const;

/** Thrown by a guarded command body once its error is printed; `runCli` turns it into the exit code. */
export class CliExit extends Error {
  override name = 'CliExit';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * Prints what went wrong and returns the exit code: a user mistake, or a refusal of the file system (a full disk, a
 * read-only mount, permissions: io/errors.ts) wherever it happens, is one line (no stack trace); networks that failed
 * after retries are one line and 1; anything else is a bug, printed with its own stack (not a wasm frame's) and 70.
 */
export function reportError(error: unknown): number {
  if (error instanceof CliExit) return error.code;
  if (error instanceof CommanderError) {
    // Help and --version "fail" with code 0; every usage mistake is the user's input.
    return error.exitCode === 0 ? EXIT.ok : EXIT.input;
  }
  const input = error instanceof InputError ? error : fileSystemError(error);
  if (input) {
    process.stderr.write(`tra: ${input.message}\n`);
    return EXIT.input;
  }
  if (error instanceof TimeLimitReached) {
    process.stderr.write(`tra: ${error.message}\n`);
    return EXIT.incomplete;
  }
  if (error instanceof TrainingFailure) {
    process.stderr.write(
      `tra: training failed: ${error.message}\nfinished networks are in the journal; rerun the same command to resume\n`,
    );
    return EXIT.training;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `tra: internal error (a bug in tra, not in your input; please report it with these lines):\n${stack}\n`,
  );
  return EXIT.internal;
}

/** Runs a command body; its errors are printed by `reportError` and end the command with their exit code. */
export function guarded<A extends unknown[]>(
  body: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      throw new CliExit(reportError(error));
    }
  };
}
