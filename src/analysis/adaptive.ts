import { reliabilityBoundOf, type AffinityEstimate } from '../affinity/estimate.js';

/** When an adaptive run (`--until-reliability`) stops adding seeds. */
export interface AdaptiveRule {
  /** The split-half reliability to reach. */
  target: number;
  /** The one-sided confidence of the lower bound that must reach it (`--reliability-confidence`). */
  confidence: number;
  /** The run's time budget: `--max-minutes`, or `--max-hours` when that is less. */
  maxMinutes: number;
  /** The budget in words, as the reason names it (default: "the <maxMinutes>-minute budget"). */
  budget?: string;
}

/** How an adaptive run ended (or, with an empty reason, that it adds a seed). */
export interface AdaptiveOutcome {
  target: number;
  confidence: number;
  /** The split-half reliability and its lower bound when the run stopped (the bound is NaN below four seeds). */
  reliability: number;
  low: number;
  reached: boolean;
  reason: string;
  seeds: number[];
}

const twoDecimals = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');

/**
 * The adaptive loop's decision after a round. It stops when the reliability's lower bound (jackknife over seeds,
 * `reliabilityLowerBound`) reaches the target, not when the estimate first does: the estimate swings around the target
 * from one seed to the next (emotions: 0.49, 0.35, -0.04, ... 0.71 at 47 seeds, 0.69 at 48), and its first crossing is
 * one of the upward swings. `minutesAfterNextSeed`: the time spent so far plus what one more seed would cost.
 */
export function adaptiveStop(
  rule: AdaptiveRule,
  estimate: Pick<AffinityEstimate, 'taskNames' | 'perReplication' | 'replications'>,
  seeds: number[],
  minutesAfterNextSeed: number,
): AdaptiveOutcome {
  const { target, confidence, maxMinutes, budget = `the ${maxMinutes}-minute budget` } = rule;
  const { reliability, low } = reliabilityBoundOf(estimate, confidence);
  const outcome = (reached: boolean, reason: string): AdaptiveOutcome => ({
    target,
    confidence,
    reliability,
    low,
    reached,
    reason,
    seeds,
  });
  const measured = `reliability ${twoDecimals(reliability)} (one-sided ${confidence} lower bound ${twoDecimals(low)})`;
  if (low >= target) return outcome(true, `reached ${measured} >= ${target} with ${seeds.length} seeds`);
  if (minutesAfterNextSeed > maxMinutes)
    return outcome(false, `stopped by ${budget} at ${measured}, below ${target}, with ${seeds.length} seeds`);
  return outcome(false, '');
}
