import { SELECTION_METHODS, type SelectionMethod } from '../grouping/select.js';
import { CLOSED_LOOP_OPTIONS } from './closedLoop.js';
import { groupSchema, integer, listOf, oneOf, onOff, optional, share, withDefault, words } from './option.js';

const METHODS = ['auto', ...Object.keys(SELECTION_METHODS)] as ['auto', ...SelectionMethod[]];
/** Methods that prove their answer optimal: reproducing a published selection needs one. */
export const EXACT_METHODS = [
  'auto',
  ...Object.entries(SELECTION_METHODS).flatMap(([name, s]) => (s.exact ? [name] : [])),
] as ['auto', ...SelectionMethod[]];

/** The selection method, for `tra group` (every method) and `tra import` (exact ones). */
export const methodOption = (choices: readonly ['auto', ...SelectionMethod[]]) =>
  withDefault({
    flag: 'method',
    placeholder: 'm',
    help: 'selection method (auto: the exact partition search for networks of cost 1 up to 16 tasks, else the exact ILP unless the candidates are too many, then the heuristic)',
    kind: oneOf(choices),
    default: 'auto',
  });

/** The task a ranking of auxiliary tasks is for. */
export const MAIN_TASK = { flag: 'main', placeholder: 'task', kind: words('a task name or index') };

/** tra group: which tasks to train together for every budget of networks (Standley et al.). */
export const GROUPING_OPTIONS = {
  budgets: optional({
    flag: 'budgets',
    placeholder: 'list',
    help: 'budgets of the curve, e.g. 1,2,3',
    unit: 'networks',
    kind: listOf(integer(1, 100_000)),
    defaultText: 'every budget up to 64 tasks; beyond, 1-16 then steps of about 25% up to the number of tasks',
  }),
  budget: optional({
    flag: 'budget',
    placeholder: 'n',
    help: 'budget to recommend, check and train',
    unit: 'networks',
    kind: integer(1, 100_000),
    defaultText: 'the smallest budget within one standard error of the best',
  }),
  maxGroupSize: optional({
    flag: 'max-group-size',
    placeholder: 'k',
    help: 'candidate groups of up to k tasks (untrained ones approximated from pairs)',
    unit: 'tasks',
    kind: integer(2, 100_000),
    defaultText: 'every group up to 16 tasks, beyond that as many as keep the ILP fast',
  }),
  method: methodOption(METHODS),
  trainHigherOrder: withDefault({
    flag: 'train-higher-order',
    help: 'train the groups of 3+ tasks the selection picked from approximations, report the approximation error, and select again',
    kind: onOff(),
    default: false,
  }),
  main: optional({ ...MAIN_TASK, help: 'rank every other task as an auxiliary for this main task' }),
  auxiliaryTop: optional({
    flag: 'auxiliary-top',
    placeholder: 'k',
    help: 'with --main: also train the main task with its k best auxiliaries and report its gain',
    unit: 'tasks',
    kind: integer(1, 100_000),
  }),
  ...CLOSED_LOOP_OPTIONS,
  randomDraws: withDefault({
    flag: 'random-draws',
    placeholder: 'n',
    help: 'random groupings of the same budget in the closed loop',
    kind: integer(0, 10_000),
    default: 5,
  }),
  bootstrap: withDefault({
    flag: 'bootstrap',
    placeholder: 'n',
    help: 'bootstrap resamples of the seeds for the stability of the recommended grouping',
    kind: integer(1, 100_000),
    default: 50,
  }),
  earlyFractions: withDefault({
    flag: 'early-fractions',
    placeholder: 'list',
    help: 'fractions of the epochs for the early-stopping approximation (none: no approximation)',
    unit: 'share',
    kind: listOf(share(), { empty: true }),
    default: [0.1, 0.25, 0.5],
  }),
};

export const groupingSchema = groupSchema(GROUPING_OPTIONS);
