import { InputError } from '../../data/errors.js';
import type { CommandJob, CommandOutcome, CommandSettings } from './network.js';

export interface PoolOptions {
  /** Commands running at once. */
  parallel: number;
  /** Devices to hand out, one per running command (never two commands on one device); caps `parallel`. */
  devices?: string[];
  /** A network's time limit in seconds; undefined: from the durations measured so far (see timeoutFrom). */
  timeoutSeconds?: number;
  /** Durations (seconds) of networks finished earlier (a resumed sweep's journal), for the default timeout. */
  measured?: number[];
  /** Called before each launch; an error it throws stops new launches like a failed network (the running ones finish). */
  beforeLaunch?: () => void;
  onStart?: (job: CommandJob) => void;
  /** Called with each network as it finishes (the sweep appends it to the journal then). */
  onDone: (job: CommandJob, outcome: CommandOutcome) => void;
}

/** A network may take this many times the longest one measured so far before it counts as hung. */
export const TIMEOUT_FACTOR = 5;
/** ... but never less than this (start-up noise dominates short commands). */
export const MIN_TIMEOUT_SECONDS = 120;
/** Before any network has finished, the limit is this generous. */
export const FIRST_TIMEOUT_SECONDS = 6 * 60 * 60;

/** The default per-network timeout: TIMEOUT_FACTOR times the longest duration measured so far. */
export const timeoutFrom = (measured: number[]): number =>
  measured.length === 0 ? FIRST_TIMEOUT_SECONDS : Math.max(MIN_TIMEOUT_SECONDS, TIMEOUT_FACTOR * Math.max(...measured));

/** Parses `--devices 0,1,2,3`: non-empty names, each once. */
export function parseDevices(spec: string, flag = '--devices'): string[] {
  const devices = spec.split(',').map((d) => d.trim());
  if (devices.some((d) => d === '' || /\s/.test(d)))
    throw new InputError(`${flag} '${spec}': expected device names separated by commas, e.g. 0,1,2,3`);
  const twice = devices.find((d, k) => devices.indexOf(d) !== k);
  if (twice !== undefined)
    throw new InputError(
      `${flag} '${spec}': device ${twice} is listed twice; each running command gets a device of its own`,
    );
  return devices;
}

/** How commands are launched: not part of the configuration (they change when, not what, is trained). */
export interface CommandRunOptions {
  parallel: number;
  devices?: string[];
  /** Per-network time limit in seconds; default from the durations measured so far. */
  timeoutSeconds?: number;
  retries: number;
}

/** Launch options from flags or a definition: `parallel` defaults to one per device (else 1) and never exceeds them. */
export function runOptions(given: {
  parallel?: number;
  devices?: string[];
  timeoutSeconds?: number;
  retries?: number;
}): CommandRunOptions {
  const { devices } = given;
  const parallel = given.parallel ?? devices?.length ?? 1;
  if (devices && parallel > devices.length)
    throw new InputError(
      `--parallel ${parallel} with ${devices.length} device(s) (${devices.join(',')}): each running command gets a device of its own; give --parallel ${devices.length} or more devices`,
    );
  return {
    parallel,
    ...(devices ? { devices } : {}),
    ...(given.timeoutSeconds === undefined ? {} : { timeoutSeconds: given.timeoutSeconds }),
    retries: given.retries ?? 1,
  };
}

/**
 * Trains the jobs through the command, `parallel` at a time (at most one per device). The first failure stops new
 * launches; the commands already running finish and are reported (so nothing they trained is lost), then the failure
 * is thrown.
 */
export async function runCommandJobs(
  jobs: CommandJob[],
  settings: CommandSettings,
  options: PoolOptions,
): Promise<void> {
  // a network's launch, process and result check load here, at the first command run: analysis/spec.ts reads the pool's
  // options for every definition, and a sweep of the built-in networks never launches one
  const { trainCommandNetwork } = await import('./network.js');
  const devices = options.devices ? [...options.devices] : undefined;
  const slots = Math.max(1, Math.min(options.parallel, devices?.length ?? Number.POSITIVE_INFINITY, jobs.length));
  const measured = [...(options.measured ?? [])];
  const queue = [...jobs];
  let failure: unknown;
  const slot = async (index: number): Promise<void> => {
    const device = devices ? { name: devices[index], assigned: true } : { name: 'cpu', assigned: false };
    for (;;) {
      if (failure !== undefined || queue.length === 0) return;
      try {
        options.beforeLaunch?.();
      } catch (error) {
        failure ??= error;
        return;
      }
      const job = queue.shift() as CommandJob;
      options.onStart?.(job);
      try {
        const timeout = options.timeoutSeconds ?? timeoutFrom(measured);
        const outcome = await trainCommandNetwork(job, settings, device, timeout * 1000);
        measured.push(outcome.seconds);
        options.onDone(job, outcome);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: slots }, (_, k) => slot(k)));
  if (failure !== undefined) throw failure;
}
