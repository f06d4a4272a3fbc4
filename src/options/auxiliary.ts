import { CLOSED_LOOP_OPTIONS } from './closedLoop.js';
import { MAIN_TASK } from './grouping.js';
import { groupSchema, integer, nameList, onOff, required, withDefault } from './option.js';

/** tra auxiliary: candidate auxiliary tasks built from the data, measured against the main task alone. */
export const AUXILIARY_OPTIONS = {
  main: required({ ...MAIN_TASK, help: 'the main task' }),
  moveEach: withDefault({
    flag: 'move-each',
    placeholder: 'k',
    help: "each of the k input features most correlated with the main label (|Pearson r| on each replication's training rows) moved to the output, alone",
    unit: 'features',
    kind: integer(0, 100_000),
    default: 3,
  }),
  moveSet: withDefault({
    flag: 'move-set',
    placeholder: 'k',
    help: 'the top k of those features moved together as one candidate (0 or 1: none)',
    unit: 'features',
    kind: integer(0, 100_000),
    default: 3,
  }),
  moveFeatures: withDefault({
    flag: 'move',
    placeholder: 'features',
    help: 'input features to move to the output, each alone',
    kind: nameList('feature names'),
    default: [],
  }),
  autoencoder: withDefault({
    flag: 'no-autoencoder',
    help: 'no input-autoencoder candidate (reconstructing the standardised inputs)',
    kind: onOff(false),
    default: true,
  }),
  recommend: withDefault({
    flag: 'recommend',
    placeholder: 'k',
    help: 'largest recommended set (chosen on validation)',
    unit: 'candidates',
    kind: integer(1, 100_000),
    default: 3,
  }),
  ...CLOSED_LOOP_OPTIONS,
};

export const auxiliarySchema = groupSchema(AUXILIARY_OPTIONS);
