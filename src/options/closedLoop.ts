import { integer, onOff, withDefault } from './option.js';

/** A decision checked on fresh seeds (tra group, tra auxiliary). */
export const CLOSED_LOOP_OPTIONS = {
  validate: withDefault({
    flag: 'validate',
    help: 'closed loop: train the recommendation and its baselines on fresh seeds and score them on test',
    kind: onOff(),
    default: false,
  }),
  validateSeeds: withDefault({
    flag: 'validate-seeds',
    placeholder: 'n',
    help: 'fresh seeds of the closed loop',
    unit: 'seeds',
    kind: integer(1, 1000),
    default: 3,
  }),
};
