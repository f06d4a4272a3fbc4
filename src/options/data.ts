import { z } from '../vendor/zod.js';
import { kindOf, oneOf, optional, required, withDefault, words } from './option.js';

/** Column names, as a definition's array or one comma-separated string (a flag's form). */
const columnNames = kindOf(
  z.union([z.array(z.string().min(1)), z.string()], {
    error: 'must be a list of column names or one comma-separated string',
  }),
  (text) => text,
  'a list of column names or one comma-separated string',
);

/** `task=column` pairs: a definition's object, a flag's comma-separated `grade=score,size=length`. */
const pairs = kindOf(
  z.record(z.string().min(1), z.string().min(1), { error: 'must be an object of task: column names' }),
  // a pair without '=' keeps an empty column name, which the schema refuses
  (text) => Object.fromEntries(text.split(',').map((pair) => [...pair.split('=').map((side) => side.trim()), ''])),
  'task=column pairs, comma-separated',
);

/** The data file (tra baselines requires it). */
export const DATA_FILE = { flag: 'data', placeholder: 'csv', kind: words('a CSV path') };

/** What is learned from: the data, the model, the task and feature columns. */
export const DATA_OPTIONS = {
  data: optional({
    ...DATA_FILE,
    help: "CSV with a header row: numeric features and one column per task (relative to a definition file); leave it out when the model's loadData supplies the data",
  }),
  model: optional({
    flag: 'model',
    placeholder: 'module',
    help: 'your own network: an ES module exporting trunk(input, { tf, inputShape, seed }) and optionally loadData({ tf, dir }); relative to a definition file',
    kind: words('an ES module path'),
    defaultText: 'the built-in MLP',
  }),
  tasks: required({
    flag: 'tasks',
    placeholder: 'spec',
    help: "task columns: 'last:N', 'first:N' or comma-separated names (a definition may give a list); with a command, the task names",
    kind: kindOf(
      z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
        error: "must be task columns: 'last:N', 'first:N', comma-separated names or a list of names",
      }),
      (text) => text,
      "task columns: 'last:N', 'first:N', comma-separated names or a list of names",
    ),
  }),
  features: optional({
    flag: 'features',
    placeholder: 'names',
    help: 'comma-separated feature columns',
    kind: words('comma-separated feature columns'),
    defaultText: 'every non-task column',
  }),
  taskKind: withDefault({
    flag: 'task-kind',
    placeholder: 'kind',
    help: 'loss of the tasks: binary (BCE) or regression (MSE); auto = binary when all values are 0/1',
    kind: oneOf(['auto', 'binary', 'regression']),
    default: 'auto',
  }),
  auxiliaryOnly: withDefault({
    flag: 'auxiliary-only',
    placeholder: 'names',
    help: 'columns known only after prediction time: never inputs nor tasks, only candidate auxiliary targets (tra auxiliary)',
    kind: columnNames,
    default: [],
  }),
  smoothers: withDefault({
    flag: 'smoothers',
    placeholder: 'task=column,...',
    help: 'per quantised task, the continuous column that is its smoother version (never an input; a candidate auxiliary of that task)',
    kind: pairs,
    default: {},
  }),
};
