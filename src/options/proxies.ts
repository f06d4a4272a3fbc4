import { groupSchema, integer, oneOf, optional, withDefault, words } from './option.js';

/** tra proxies: cheap estimates of the affinity matrix, and what to compare them with. */
export const PROXIES_OPTIONS = {
  truth: optional({
    flag: 'truth',
    placeholder: 'dir',
    help: 'folder of a finished pairwise sweep of the same tasks to compare with (without one the proxies run standalone)',
    kind: words('a folder path'),
    defaultText: "the definition's output folder, when it holds a sweep",
  }),
  proxies: withDefault({
    flag: 'proxies',
    placeholder: 'ids',
    help: 'comma-separated proxies to run, or all',
    kind: words('proxy ids or all'),
    default: 'all',
  }),
  every: withDefault({
    flag: 'every',
    placeholder: 'steps',
    help: 'probe the all-task network every this many steps (lookahead, cosine)',
    unit: 'steps',
    kind: integer(1, 1_000_000),
    default: 10,
  }),
  /**
   * Default `adam`: TAG's lookahead is "the update the training optimizer would make"; here that optimizer is Adam. A
   * plain SGD step at Adam's learning rate (1e-3) moves the weights so little that the loss change sits near float32
   * rounding, while Adam's step is the one training actually takes.
   */
  lookaheadStep: withDefault({
    flag: 'lookahead-step',
    placeholder: 'kind',
    help: "the lookahead's step: 'adam' (the training optimizer's own step) or 'sgd' (plain SGD at the learning rate, as TAG's code)",
    kind: oneOf(['adam', 'sgd']),
    default: 'adam',
  }),
};

export const proxiesSchema = groupSchema(PROXIES_OPTIONS);
