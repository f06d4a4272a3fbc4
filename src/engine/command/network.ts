import { lstatSync, renameSync, rmSync } from 'node:fs';
import { createFolder } from '../../io/write.js';
import { join } from 'node:path';
import { InputError } from '../../data/errors.js';
import { readResult, ResultError, resultLosses, type ResultLosses } from '../../data/resultFile.js';
import type { SplitScheme } from '../../data/split.js';
import { TrainingFailure } from '../parallel.js';
import { commandEnvironment, substituteArgv, type NetworkValues } from './placeholders.js';
import { runProcess, type ProcessOutcome } from './process.js';
import { checkCodeUnchanged, type CommandRef } from './ref.js';

/** One network a command trains: a group of one replication. */
export interface CommandJob {
  seed: number;
  fold: number;
  /** The replication's key (s0, s0f2). */
  replication: string;
  /** Sorted task indices. */
  group: number[];
}

/** What the command reported for one network, checked, in the shape of a journal record's losses. */
export interface CommandOutcome extends ResultLosses {
  group: number[];
  /** Wall seconds of the successful launch. */
  seconds: number;
  attempts: number;
}

/** Everything a command needs besides the network: fixed for a sweep. */
export interface CommandSettings {
  ref: CommandRef;
  taskNames: string[];
  epochs: number;
  split: SplitScheme;
  /** The output folder; each network gets runs/<replication>/<group>/ inside it. */
  outDir: string;
  /** Further launches after a failed one (a non-zero exit, a timeout, no result file). */
  retries: number;
}

/** The network's own folder, its checked result and its log. */
export function runPaths(outDir: string, job: Pick<CommandJob, 'replication' | 'group'>) {
  const dir = join(outDir, 'runs', job.replication, job.group.join('+'));
  return { dir, result: join(dir, 'result.json'), log: join(dir, 'log.txt') };
}

/**
 * Where one launch writes its result ({result}): a name of its own, so that a command left running by a tra that was
 * killed outright (SIGKILL: no exit handler ends its children) cannot write over the relaunched command's result.
 */
const launchResult = (dir: string, attempt: number): string => join(dir, `result.${process.pid}-${attempt}.json`);

export const networkName = (job: Pick<CommandJob, 'replication' | 'group'>, taskNames: string[]): string =>
  `network ${job.replication}/${job.group.join('+')} {${job.group.map((t) => taskNames[t]).join(', ')}}`;

/** The placeholder values of one network. */
export function networkValues(
  job: CommandJob,
  settings: CommandSettings,
  device: string,
  result: string,
): NetworkValues {
  const { split } = settings;
  const paths = runPaths(settings.outDir, job);
  return {
    tasks: job.group.map((t) => settings.taskNames[t]),
    taskIndices: job.group,
    seed: job.seed,
    fold: job.fold,
    folds: split.kind === 'kfold' ? split.folds : 0,
    split: split.kind,
    validationShare: split.kind === 'holdout' ? split.validation : 0,
    testShare: split.kind === 'holdout' ? split.test : 0,
    replication: job.replication,
    network: `${job.replication}/${job.group.join('+')}`,
    epochs: settings.epochs,
    result,
    runDir: paths.dir,
    device,
  };
}

/** Why a launch did not end in an exit code of 0, or undefined when it did. */
function launchFailure(outcome: ProcessOutcome, timeoutMs: number): string | undefined {
  if (outcome.timedOut) return `timed out after ${Math.round(timeoutMs / 1000)} s (its process group was ended)`;
  if (outcome.signal) return `ended by ${outcome.signal}`;
  if (outcome.exitCode !== 0) return `exited with code ${outcome.exitCode}`;
  return undefined;
}

const withTail = (message: string, log: string, tail: string[]): string =>
  tail.length === 0
    ? `${message} (its log ${log} is empty)`
    : `${message}\nlast lines of ${log}:\n${tail.map((line) => `  | ${line}`).join('\n')}`;

/**
 * Trains one network by running the command, up to 1 + retries times, and returns its checked result. A launch that
 * fails (non-zero exit, signal, timeout, no result file) is retried; a result that breaks the contract (malformed, for
 * another group or seed, not finite), a program that cannot start and code that changed are not: they are the
 * command's mistakes, and an InputError names the network, the file, the field and the last lines of the log.
 */
export async function trainCommandNetwork(
  job: CommandJob,
  settings: CommandSettings,
  device: { name: string; assigned: boolean },
  timeoutMs: number,
): Promise<CommandOutcome> {
  const name = networkName(job, settings.taskNames);
  const paths = runPaths(settings.outDir, job);
  const failures: string[] = [];
  let lastTail: string[] = [];
  let result = '';
  for (let attempt = 1; attempt <= 1 + settings.retries; attempt++) {
    result = launchResult(paths.dir, attempt);
    const values = networkValues(job, settings, device.name, result);
    const argv = substituteArgv(settings.ref.argv, values);
    const env = commandEnvironment(values, device.assigned);
    checkCodeUnchanged(settings.ref, 'before this network was launched');
    createFolder(paths.dir); // a refusal (full disk, read-only) is one line naming the folder, not node's ENOENT
    // a result left by an earlier, interrupted launch must not pass for this one's
    rmSync(result, { force: true });
    rmSync(paths.result, { force: true });
    const outcome = await runProcess({ argv, cwd: settings.ref.cwd, env, logPath: paths.log, timeoutMs });
    lastTail = outcome.tail;
    if (outcome.startError)
      throw new InputError(`${name}: the command ${JSON.stringify(argv[0])} could not start (${outcome.startError})`);
    checkCodeUnchanged(settings.ref, `while ${name} trained`);
    const failed = launchFailure(outcome, timeoutMs) ?? (resultWritten(result) ? undefined : 'wrote no result file');
    if (failed) {
      failures.push(`attempt ${attempt}: ${failed}`);
      continue;
    }
    try {
      const losses = resultLosses(readResult(result), {
        tasks: values.tasks,
        seed: job.seed,
        fold: settings.split.kind === 'kfold' ? job.fold : undefined,
        epochs: settings.epochs,
      });
      renameSync(result, paths.result);
      return { group: job.group, ...losses, seconds: outcome.seconds, attempts: attempt };
    } catch (error) {
      if (!(error instanceof ResultError)) throw error;
      throw new InputError(withTail(`${name}: result ${result}: ${error.message}`, paths.log, lastTail));
    }
  }
  throw new TrainingFailure(
    withTail(
      `${name} failed ${failures.length} time(s): ${failures.join('; ')}; expected its result at ${result}`,
      paths.log,
      lastTail,
    ),
  );
}

/** A regular file at the result path (a symbolic link could point anywhere outside the network's folder). */
function resultWritten(path: string): boolean {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink())
      throw new InputError(`${path}: a symbolic link; the command must write its result file inside its own folder`);
    return stat.isFile();
  } catch (error) {
    if (error instanceof InputError) throw error;
    return false;
  }
}
