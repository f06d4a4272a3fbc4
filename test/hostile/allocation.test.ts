/** Hostile inputs: allocation strategies (--allocation, --short-fraction, --indifference) and what they cannot combine with. */
import { type HostileCase, hostileTable, sweep } from '../helpers/hostile.js';

export const kind = 'allocation';
export const cases: HostileCase[] = [
  {
    name: 'unknown allocation strategy',
    args: sweep('--allocation', 'cheap'),
    code: 2,
    says: /--allocation.*one of full, decision, short/,
  },
  {
    name: 'short fraction of 1 (not shorter)',
    args: sweep('--allocation', 'short', '--short-fraction', '1'),
    code: 2,
    says: /--short-fraction.*strictly between 0 and 1/,
  },
  {
    name: 'short fraction written as a percentage',
    args: sweep('--allocation', 'decision', '--short-fraction', '25%'),
    code: 2,
    says: /--short-fraction/,
  },
  {
    name: 'negative indifference margin',
    args: sweep('--allocation', 'screen', '--indifference', '-1'),
    code: 2,
    says: /--indifference/,
  },
  {
    name: 'null bias subtraction with a partial allocation',
    args: sweep('--allocation', 'decision', '--null-tasks', '1', '--subtract-null-bias'),
    code: 2,
    says: /--allocation decision trains only some pairs on a seed/,
  },
];
hostileTable(kind, cases);
