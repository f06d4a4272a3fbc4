/**
 * A command sweep's time plan. tra cannot calibrate the user's command without training with it, so the plan comes
 * from durations measured on this sweep: the networks the journal holds, else the first networks of this run (the
 * calibration). The limit (--max-hours) is checked on the estimate as soon as there is one: before the first launch
 * when the journal has durations, else once the first round of commands (one per slot) has finished; a sweep over
 * the limit then stops launching, keeps what it trained, and says what limit would let it run.
 */
import { InputError } from '../data/errors.js';
import { duration, hoursAbove } from './planner.js';

export interface CommandPlan {
  /** Networks left to train. */
  networks: number;
  /** Commands running at once. */
  slots: number;
  /** Durations (wall seconds) the estimate is made of: measured networks of this sweep. */
  measured: number[];
  /** Wall seconds the networks left would take, `slots` at a time; undefined before any network is measured. */
  estimatedSeconds?: number;
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** The plan of `networks` left to train, `slots` at a time, from the durations measured so far. */
export function commandPlan(networks: number, slots: number, measured: number[]): CommandPlan {
  const estimatedSeconds = measured.length === 0 ? undefined : (networks * mean(measured)) / Math.max(1, slots);
  return { networks, slots, measured, ...(estimatedSeconds === undefined ? {} : { estimatedSeconds }) };
}

/** The plan in words: what will run, and its time as an estimate from measured networks (or when it will be). */
export function commandPlanText(plan: CommandPlan): string {
  if (plan.estimatedSeconds === undefined)
    return `time: not known before the first network (tra cannot time your command without training); estimated once the first ${plan.slots} finish`;
  return `time: about ${duration(plan.estimatedSeconds)} (estimated: ${plan.networks} networks x ${mean(plan.measured).toFixed(1)} s, the mean of ${plan.measured.length} measured, / ${plan.slots} at a time)`;
}

/**
 * Refuses training estimated above `maxHours`, naming the flag and the least limit that would let it run; `when`
 * says where the sweep stands (before launching, or after its calibration networks, which the journal keeps).
 */
export function checkCommandTimeLimit(plan: CommandPlan, maxHours: number, when: string): void {
  if (plan.estimatedSeconds === undefined || plan.estimatedSeconds <= maxHours * 3600) return;
  throw new InputError(
    `--max-hours ${maxHours}: ${when}, the command's ${plan.networks} networks left are estimated at ${duration(plan.estimatedSeconds)} (${plan.networks} x ${mean(plan.measured).toFixed(1)} s measured / ${plan.slots} at a time); raise --max-hours to at least ${hoursAbove(plan.estimatedSeconds)} to run them (the journal keeps every network trained so far)`,
  );
}
