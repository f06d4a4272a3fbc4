import { join } from 'node:path';
import { DATA_FILE, DATA_OPTIONS } from './data.js';
import { MAX_SEED } from './split.js';
import { groupSchema, integer, optional, required, withDefault, words } from './option.js';

/** tra baselines: linear multi-task models on one holdout split, tuned by cross-validation on its training rows. */
export const BASELINES_OPTIONS = {
  data: required({ ...DATA_FILE, help: 'CSV with a header row: numeric features and one column per task' }),
  tasks: DATA_OPTIONS.tasks,
  clusters: optional({
    flag: 'clusters',
    placeholder: 'groups',
    help: "known task clusters, e.g. '0,1;2,3' (indices or names; unlisted tasks stand alone)",
    kind: words("clusters such as '0,1;2,3'"),
  }),
  splitSeed: withDefault({
    flag: 'split-seed',
    placeholder: 's',
    help: 'seed of the train/test split and of the cross-validation folds (a holdout sweep given with --sweep is read at this seed)',
    kind: integer(0, MAX_SEED),
    default: 0,
  }),
  cvFolds: withDefault({
    flag: 'cv-folds',
    placeholder: 'k',
    help: 'cross-validation folds on the training rows (to tune each baseline)',
    unit: 'folds',
    kind: integer(2, 1000),
    default: 5,
  }),
  out: withDefault({
    flag: 'out',
    placeholder: 'dir',
    help: 'output folder for baselines.json and baselines.csv (its report is redrawn when it has one)',
    kind: words('a folder path'),
    default: join('reports', 'baselines'),
  }),
  sweep: optional({
    flag: 'sweep',
    placeholder: 'dir',
    help: 'a finished holdout sweep of the same data (tra sweep --split holdout): adds its single-task and best-pair test losses as columns',
    kind: words('a folder path'),
  }),
};

export const baselinesSchema = groupSchema(BASELINES_OPTIONS);
