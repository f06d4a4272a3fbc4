import { BACKENDS } from '../engine/backend.js';
import { groupSchema, integer, number, oneOf, onOff, optional, withDefault, words } from './option.js';

/**
 * How and where training runs, and its limits: a command that trains takes those it honours (src/options/index.ts),
 * and they override the definition's. `backend` and `workers` are definition fields too; the limit and `quiet` belong
 * to one run.
 */
export const EXECUTION_OPTIONS = {
  backend: optional({
    flag: 'backend',
    placeholder: 'name',
    help: 'engine backend',
    kind: oneOf(BACKENDS),
    defaultText: 'the fastest that loads: native, tensorflow, wasm, cpu',
  }),
  workers: optional({
    flag: 'workers',
    placeholder: 'n',
    help: 'worker threads per fused batch, one tfjs instance each',
    unit: 'threads',
    kind: integer(1, 256),
    defaultText: 'the number of cores',
  }),
  /** The user's model module under the watchdog (engine/userModel/watchdog.ts): its limits replaced by one. */
  watchdog: optional({
    flag: 'watchdog',
    placeholder: 'seconds',
    help: "seconds the definition's model module may take for its import, loadData(), trunk(), or one epoch of training, before it counts as hung",
    unit: 'seconds',
    kind: number({ min: 0, max: 10_000_000, open: true }),
    defaultText: '600 to load; to train, 20 times the epoch predicted from one measured step, at least 120',
  }),
  /** An hour: the wait for a first answer; past it, the planner's cheaper routes are worth a look first (docs/RUNNING.md "The time limit"). */
  maxHours: withDefault({
    flag: 'max-hours',
    placeholder: 'h',
    help: 'refuse to start training the planner estimates at more than this (it prints the estimate, how it was calibrated and the cheaper routes), and stop a sweep still training after this long (exit 3; a rerun resumes from the journal); networks the journal already holds cost nothing, so a complete journal is never refused',
    unit: 'hours',
    kind: number({ min: 0, max: 1_000_000, open: true }),
    default: 1,
  }),
  quiet: withDefault({ flag: 'quiet', help: 'no progress output', kind: onOff(), default: false }),
};

/** The execution options that are fields of an analysis definition; the others belong to one run. */
export const EXECUTION_IN_DEFINITION = ['backend', 'workers', 'watchdog'] as const;

export const executionSchema = groupSchema(EXECUTION_OPTIONS);

/** A sweep spread over processes or machines (tra run, tra sweep). */
export const DISTRIBUTION_OPTIONS = {
  shard: optional({
    flag: 'shard',
    placeholder: 'i/N',
    help: "train only shard i of N (a deterministic slice) into its own folder; combine with 'tra merge'",
    kind: words('a shard i/N, e.g. 2/4'),
  }),
  queue: optional({
    flag: 'queue',
    placeholder: 'url',
    help: "distribute the sweep over 'tra worker' processes through Redis (BullMQ), e.g. redis://127.0.0.1:6379",
    kind: words('a Redis URL'),
  }),
};
