import { whileTraining } from './interrupt.js';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../data/errors.js';
import type { CommandJob, CommandSettings } from '../engine/command/network.js';
import { runCommandJobs, type CommandRunOptions, type PoolOptions } from '../engine/command/pool.js';
import type { CommandRef } from '../engine/command/ref.js';
import { checkCodeUnchanged } from '../engine/command/ref.js';
import type { CommandConfig } from './config.js';
import { checkCommandTimeLimit, commandPlan, commandPlanText } from './commandPlan.js';
import { clearLine, Progress, type ProgressBar } from './progress.js';
import {
  batchRecords,
  openPlannedSweep,
  pastTimeLimit,
  slicesOf,
  TimeLimitReached,
  type PendingBatch,
  type PlannedSweep,
  type SweepOutcome,
} from './run.js';

export interface CommandSweepRequest extends PlannedSweep {
  config: CommandConfig;
  ref: CommandRef;
  run: CommandRunOptions;
  quiet?: boolean;
  bar?: ProgressBar;
}

/** The backend name a command's records carry. */
export const COMMAND_BACKEND = 'command';

/** The jobs of pending batches, in order. */
export const commandJobs = (pending: Pick<PendingBatch, 'seed' | 'fold' | 'key' | 'groups'>[]): CommandJob[] =>
  pending.flatMap((b) => b.groups.map((group) => ({ seed: b.seed, fold: b.fold, replication: b.key, group })));

/** What the command settings of a sweep are, from its configuration and where it writes. */
export const commandSettings = (
  config: CommandConfig,
  ref: CommandRef,
  outDir: string,
  retries: number,
): CommandSettings => ({
  ref,
  taskNames: config.taskNames,
  epochs: config.epochs,
  split: config.split,
  outDir,
  retries,
});

/**
 * Trains every network the journal lacks by running the user's command once per network, `parallel` at a time, and
 * appends each result to the journal as soon as it is checked: a crash or Ctrl-C loses only the commands running then,
 * and a rerun launches them again.
 */
export const runCommandSweep = (request: CommandSweepRequest): Promise<SweepOutcome> =>
  whileTraining(() => launchMissing(request));

async function launchMissing(request: CommandSweepRequest): Promise<SweepOutcome> {
  const { config, ref } = request;
  checkCodeUnchanged(ref, 'since the definition was read');
  const opened = openPlannedSweep(request);
  const { journal, inShardCount } = opened;
  const outDir = dirname(request.journalPath);
  const jobs = commandJobs([...slicesOf(opened)]);
  const started = Date.now();
  const measured = Array.from(journal.records.values(), (r) => r.seconds);
  const slots = Math.max(1, Math.min(request.run.parallel, request.run.devices?.length ?? Number.POSITIVE_INFINITY));
  let running = 0;
  let finished = 0;
  const limit = request.timeLimit;
  // the calibration: a journal without durations gets its estimate from this run's first round of networks
  const calibrateAfter = measured.length === 0 && limit ? Math.min(slots, jobs.length) : 0;
  // the plan to check against the time taken: from the journal's durations (every network), else from the first round's
  let planned =
    measured.length > 0 && jobs.length > 0
      ? { plan: commandPlan(jobs.length, slots, measured.slice()), since: started }
      : undefined;
  const timeIsUp = new Error('time limit');
  const progress = new Progress(
    jobs.length,
    request.bar?.label ?? 'sweep',
    process.stderr,
    request.quiet,
    request.bar?.transient,
    (left) =>
      // measured durations (this run's and earlier runs'), spread over the commands running at once
      measured.length === 0 ? Number.NaN : (left * measured.reduce((a, b) => a + b, 0)) / measured.length / slots,
  );
  const before = new Set(readdirSync(outDir));
  const checkOutputFolder = (job: CommandJob): void => {
    const stray = readdirSync(outDir).filter((entry) => !before.has(entry) && entry !== 'runs');
    if (stray.length)
      throw new InputError(
        `the command wrote ${stray.map((e) => `'${e}'`).join(', ')} into the output folder ${outDir} while training network ${job.replication}/${job.group.join('+')}: a command writes only into its own folder ({run_dir}); move ${stray.length > 1 ? 'them' : 'it'} away and rerun`,
      );
  };
  const options: PoolOptions = {
    parallel: request.run.parallel,
    devices: request.run.devices,
    timeoutSeconds: request.run.timeoutSeconds,
    measured,
    // once the time limit has passed (and this run trained a network and its calibration, if any), nothing more is launched
    beforeLaunch: () => {
      const calibrated = finished > 0 && finished >= calibrateAfter;
      if (limit && calibrated && pastTimeLimit(limit)) throw timeIsUp;
    },
    onStart: () => running++,
    onDone: (job, outcome) => {
      running--;
      measured.push(outcome.seconds);
      journal.append(
        batchRecords({ seed: job.seed, fold: job.fold, key: job.replication }, [outcome], COMMAND_BACKEND, 0),
      );
      progress.advance(
        1,
        `${job.replication}/${job.group.join('+')} in ${outcome.seconds.toFixed(1)} s, ${running} running`,
      );
      checkOutputFolder(job);
      finished++;
      if (finished === calibrateAfter) {
        const plan = commandPlan(jobs.length - finished, slots, measured.slice());
        if (plan.networks > 0) planned = { plan, since: Date.now() };
        if (!request.quiet) {
          clearLine();
          process.stderr.write(`${commandPlanText(plan)}\n`);
        }
        // thrown here, it stops new launches; the commands running finish into the journal first
        checkCommandTimeLimit(plan, (limit as { maxHours: number }).maxHours, `after its first ${finished} network(s)`);
      }
    },
  };
  try {
    await runCommandJobs(jobs, commandSettings(config, ref, outDir, request.run.retries), options);
  } catch (error) {
    if (error !== timeIsUp || !limit) throw error;
    if (!request.quiet) clearLine();
    throw new TimeLimitReached(limit.maxHours, finished, jobs.length - finished, request.journalPath);
  }
  const estimated = planned?.plan.estimatedSeconds;
  return {
    journal,
    trained: jobs.length,
    skipped: inShardCount - jobs.length,
    seconds: (Date.now() - started) / 1000,
    ...(planned && estimated !== undefined
      ? {
          plan: {
            networks: planned.plan.networks,
            predictedSeconds: Number(estimated.toPrecision(4)),
            measuredSeconds: Number(((Date.now() - planned.since) / 1000).toPrecision(4)),
            from: 'measured networks' as const,
          },
        }
      : {}),
  };
}
