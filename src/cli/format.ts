import type { Interval } from '../affinity/stats.js';

/** Plain-text numbers of the command outputs: 'n/a' where a value is undefined (e.g. an interval of one replication). */
export const fixed = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
export const signed = (x: number, digits = 4): string =>
  Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : 'n/a';
export const span = (i: Interval, digits = 4): string =>
  `${fixed(i.mean, digits)} [${fixed(i.low, digits)}, ${fixed(i.high, digits)}]`;
export const difference = (i: Interval, digits = 4): string =>
  `${signed(i.mean, digits)} [${signed(i.low, digits)}, ${signed(i.high, digits)}]`;
/** A share or a level as a whole percentage: 0.95 → '95%'. */
export const percent = (x: number): string => `${(x * 100).toFixed(0)}%`;
/** A gain as a signed percentage: 0.0123 → '+1.23%'. */
export const signedPercent = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;
