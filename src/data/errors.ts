/** A mistake in what the user gave us (a file, a flag, a setting). The CLI prints its message, never a stack. */
export class InputError extends Error {
  override name = 'InputError';
}

/** The first line of what was thrown: the part a user reads (tfjs and Node put details and stacks on later lines). */
export const firstLine = (error: unknown): string =>
  error instanceof Error ? error.message.split('\n')[0] : String(error);

/** An InputError that points at a place in a data file. */
export class DataError extends InputError {
  override name = 'DataError';
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(
      `${file}${line === undefined ? '' : `:${line}`}${column === undefined ? '' : ` column '${column}'`}: ${problem}`,
    );
  }
}
