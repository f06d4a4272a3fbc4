import { integer, number, oneOf, optional, share, withDefault, words } from './option.js';

/** Which networks a sweep trains besides singles and pairs, and when an adaptive sweep stops adding seeds. */
export const SWEEP_OPTIONS = {
  groups: optional({
    flag: 'groups',
    placeholder: 'groups',
    help: "extra groups to train besides singles and pairs, e.g. 'a+b+c;d+e' (names or indices)",
    kind: words("groups such as 'a+b+c;d+e'"),
  }),
  nullTasks: withDefault({
    flag: 'null-tasks',
    placeholder: 'n',
    help: 'negative controls: sweep n permuted copies of real tasks to measure the null gain and its bias',
    unit: 'tasks',
    kind: integer(0, 1000),
    default: 0,
  }),
  untilReliability: optional({
    flag: 'until-reliability',
    placeholder: 'r',
    help: 'keep adding seeds until the matrix reaches this split-half reliability (e.g. 0.7) or --max-minutes runs out',
    kind: share(),
  }),
  allocation: optional({
    flag: 'allocation',
    placeholder: 'strategy',
    help: 'which networks to train (docs/ALLOCATION.md): full (every single and pair on every seed, or whole seeds with --until-reliability), decision (every single and pair on one seed, then only the pairs that can change the grouping, on at most --seeds seeds, until it is as firm as a full sweep of --seeds), short (short runs of every pair on two seeds, then the finalists in full), screen (short runs of every pair on two seeds, then decision-focused rounds in full), predict (every single and a third of the pairs on one seed, the gains of the other pairs predicted from them, then decision-focused rounds in full), early (short runs of every single and pair on every seed of --seeds, the singles in full on one, and the grouping chosen on them: nothing else trains)',
    kind: oneOf(['full', 'decision', 'short', 'screen', 'predict', 'early']),
    defaultText: 'full',
  }),
  shortFraction: withDefault({
    flag: 'short-fraction',
    placeholder: 'share',
    help: 'short runs (--allocation short|screen|early) train this share of the epochs',
    unit: 'share',
    kind: share(),
    default: 0.25,
  }),
  /**
   * Two standard errors: a full sweep of --seeds seeds cannot tell contenders closer than that apart at 95% confidence
   * either, so separating them further buys a precision the full sweep itself does not have (docs/ALLOCATION.md has
   * what z = 1, 2, 3 saved on the bench).
   */
  indifference: withDefault({
    flag: 'indifference',
    placeholder: 'z',
    help: 'decision-focused allocation (--allocation decision|screen|predict) treats groupings whose summed validation losses differ by less than z standard errors of a full sweep of --seeds seeds as equivalent, and stops separating them',
    unit: 'standard errors',
    kind: number({ min: 0, max: 10 }),
    default: 2,
  }),
  reliabilityConfidence: withDefault({
    flag: 'reliability-confidence',
    placeholder: 'c',
    help: "--until-reliability stops when the reliability's one-sided lower bound at this confidence (jackknife over seeds) reaches the target, not at the estimate's first crossing",
    unit: 'share',
    kind: share(),
    default: 0.9,
  }),
  maxMinutes: withDefault({
    flag: 'max-minutes',
    placeholder: 'm',
    help: 'time budget of --until-reliability and --allocation',
    unit: 'minutes',
    kind: number({ min: 0, max: 10_000_000, open: true }),
    default: 60,
  }),
};
