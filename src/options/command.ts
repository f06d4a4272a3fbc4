import { z } from '../vendor/zod.js';
import { integer, kindOf, number, optional, withDefault, words } from './option.js';

/** A command line: a definition's JSON array, or on a flag a JSON array or words separated by spaces (no quoting). */
const argv = kindOf(
  z.array(z.string(), { error: 'must be a list of the program and its arguments' }).min(1, {
    error: 'must name the program',
  }),
  (text) => {
    if (!text.trim().startsWith('[')) return text.trim().split(/\s+/);
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  },
  'the program and its arguments: a JSON array such as ["python", "train.py", "--seed", "{seed}"], or on a flag words separated by spaces',
);

/** Devices: a definition's list or a flag's comma-separated names. */
const devices = kindOf(
  z.union([z.string().min(1), z.array(z.union([z.string().min(1), z.number().int().min(0)])).min(1)], {
    error: 'must be device names such as "0,1,2,3"',
  }),
  (text) => text,
  'device names, comma-separated, e.g. 0,1,2,3',
);

/** The user's training command as the network (docs/COMMAND.md): instead of `data` and `model`. */
export const TRAINING_COMMAND_OPTIONS = {
  command: optional({
    flag: 'command',
    placeholder: 'argv',
    help: 'your training command as the network, run once per network without a shell, with placeholders such as {tasks}, {seed}, {result} (docs/COMMAND.md); instead of data and model',
    kind: argv,
  }),
  code: withDefault({
    flag: 'code',
    placeholder: 'files',
    help: "with a command: your code's files (relative to a definition file); their content is part of the configuration, so an edited script is refused on resume",
    kind: kindOf(
      z.array(z.string().min(1), { error: 'must be a list of file paths' }),
      (text) => text.split(',').map((path) => path.trim()),
      'file paths, comma-separated',
    ),
    default: [],
  }),
  cwd: optional({
    flag: 'cwd',
    placeholder: 'dir',
    help: 'with a command: the folder it runs in (relative to a definition file)',
    kind: words('a folder'),
    defaultText: "the definition file's folder (tra sweep: the current folder)",
  }),
};

/** How a command's networks are launched: not part of the configuration (they change when, not what, is trained). */
export const LAUNCH_OPTIONS = {
  parallel: optional({
    flag: 'parallel',
    placeholder: 'n',
    help: 'with a command: networks trained at once',
    unit: 'commands',
    kind: integer(1, 1024),
    defaultText: '1, or one per device',
  }),
  devices: optional({
    flag: 'devices',
    placeholder: 'list',
    help: 'with a command: devices to hand out, one per running command, as {device} and CUDA_VISIBLE_DEVICES (never two commands on one device)',
    kind: devices,
  }),
  timeout: optional({
    flag: 'timeout',
    placeholder: 'seconds',
    help: "with a command: one network's time limit; its whole process group is ended",
    unit: 'seconds',
    kind: number({ min: 0, max: 10_000_000, open: true }),
    defaultText: '5 times the longest network measured so far, at least 120 s (6 h before the first)',
  }),
  retries: withDefault({
    flag: 'retries',
    placeholder: 'n',
    help: 'with a command: launches after a failed one (non-zero exit, timeout, no result file)',
    kind: integer(0, 100),
    default: 1,
  }),
};
