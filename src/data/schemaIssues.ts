import type { z } from 'zod';

/** A zod issue path as a reader types it: engine.hidden[0], byEpoch[3].test. */
export const issuePath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );

/** Every problem zod found, on one line, each naming its field (`whole` names the value itself). */
export const issuesText = (error: z.ZodError, whole: string): string =>
  error.issues
    .map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((key) => issuePath([...issue.path, key])).join(', ')}`
        : `${issuePath(issue.path) || whole}: ${issue.message}`,
    )
    .join('; ');
