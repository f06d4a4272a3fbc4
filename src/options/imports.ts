import { EXACT_METHODS, methodOption } from './grouping.js';
import { groupSchema, nameList, oneOf, optional, withDefault, words } from './option.js';

export const IMPORT_FORMATS = ['long', 'standley'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** tra import: losses measured elsewhere, validated into a journal. */
export const IMPORT_OPTIONS = {
  out: optional({
    flag: 'out',
    placeholder: 'dir',
    help: 'output folder; importing into it again adds files',
    kind: words('a folder path'),
    defaultText: 'reports/<first file name>',
  }),
  format: withDefault({
    flag: 'format',
    placeholder: 'f',
    help: 'input format: the long format (docs/IMPORT.md) or a Standley validation table',
    kind: oneOf(IMPORT_FORMATS),
    default: 'long',
  }),
  taskNames: optional({
    flag: 'task-names',
    placeholder: 'names',
    help: 'task names in order (long: rows naming other tasks are errors; standley: names the columns)',
    kind: nameList('distinct task names'),
    defaultText: 'long: the names in the file; standley: task1..taskT',
  }),
  testTable: optional({
    flag: 'test-table',
    placeholder: 'file',
    help: 'standley: the table of test losses (required)',
    kind: words('a file path'),
  }),
  earlyTable: optional({
    flag: 'early-table',
    placeholder: 'file',
    help: 'standley: the table of early-stopped validation losses (e.g. results_20.txt)',
    kind: words('a file path'),
  }),
  method: methodOption(EXACT_METHODS),
};

export const importSchema = groupSchema(IMPORT_OPTIONS);
