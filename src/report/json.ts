import { writeFileSync } from 'node:fs';

/** JSON has no NaN or Infinity: undefined intervals (one replication) and infeasible values are written as null. */
export const finiteOrNull = (_key: string, value: unknown): unknown => (typeof value === 'number' && !Number.isFinite(value) ? null : value);

export const writeJson = (path: string, value: unknown): void => writeFileSync(path, JSON.stringify(value, finiteOrNull, 1) + '\n');
