import { MAX_WIDTH } from '../engine/settings.js';
import { groupSchema, integer, listOf, optional, withDefault } from './option.js';

/** tra taxonomy: which tasks to train from scratch under a supervision budget, and where the others transfer from. */
export const TAXONOMY_OPTIONS = {
  budgets: optional({
    flag: 'supervision-budgets',
    placeholder: 'list',
    help: 'supervision budgets to solve, comma-separated',
    unit: 'tasks trained from scratch',
    kind: listOf(integer(1, 100_000)),
    defaultText: '1 to the number of tasks',
  }),
  drawBudget: optional({
    flag: 'supervision-budget',
    placeholder: 'n',
    help: 'the supervision budget whose taxonomy taxonomy.json and the report draw',
    unit: 'tasks trained from scratch',
    kind: integer(1, 100_000),
    defaultText: 'half the tasks, rounded up',
  }),
  orders: optional({
    flag: 'orders',
    placeholder: 'list',
    help: "transfer orders: 1 = one source, k = a readout on k sources' concatenated trunks",
    kind: listOf(integer(1, 100)),
    defaultText: '1,2,3, those the task count allows',
  }),
  beam: withDefault({
    flag: 'beam',
    placeholder: 'n',
    help: "higher-order source sets are combinations of a target's n best first-order sources",
    unit: 'sources',
    kind: integer(1, 100_000),
    default: 3,
  }),
  readoutHidden: withDefault({
    flag: 'readout-hidden',
    placeholder: 'widths',
    help: 'hidden layer widths of a readout on frozen trunks',
    unit: 'units',
    kind: listOf(integer(1, MAX_WIDTH)),
    default: [32],
  }),
};

/** The transfer orders tried when none are given (those the task count allows). */
export const DEFAULT_ORDERS = [1, 2, 3];

export const taxonomySchema = groupSchema(TAXONOMY_OPTIONS);
