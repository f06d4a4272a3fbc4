import { onOff, optional, withDefault, words } from './option.js';

/** The analysis's name and where its files go. */
export const OUTPUT_OPTIONS = {
  name: optional({
    flag: 'name',
    placeholder: 'name',
    help: 'analysis name; it names the default output folder',
    kind: words('a name', { regex: /^[\w.-]+$/, text: "letters, digits, '.', '_' and '-' only" }),
    defaultText: 'tra sweep: <data file>-pairwise',
  }),
  description: optional({
    flag: 'description',
    placeholder: 'text',
    help: 'what the analysis is for, shown in its report',
    kind: words('a text'),
  }),
  out: optional({
    flag: 'out',
    placeholder: 'dir',
    help: 'output folder; its journal.jsonl lets a rerun resume (in a definition: relative to the file and inside the folder tra runs in, unless absolute)',
    kind: words('a folder path'),
    defaultText: 'reports/<name>',
  }),
};

/** How a command prints its answer. */
export const PRINT_OPTIONS = {
  list: withDefault({
    flag: 'list',
    help: 'list every network of the sweep (network, seed, fold, id, whether the journal holds it); no calibration',
    kind: onOff(),
    default: false,
  }),
  json: withDefault({
    flag: 'json',
    help: "print a list of networks as JSON, for a launcher: tra plan --list's, or on imported losses tra group --validate's closed loop",
    kind: onOff(),
    default: false,
  }),
};
