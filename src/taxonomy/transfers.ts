import { mean } from '../affinity/stats.js';
import { combinations } from '../math/combinations.js';
import { ahpFromLosses, type AhpResult } from './ahp.js';

/** Held-out losses of one way to serve a target: its own network, or a readout on the frozen trunks of `sources`. */
export interface MeasuredTransfer {
  target: number;
  /** Sorted task indices; [target] for the target's own network. */
  sources: number[];
  own: boolean;
  /** Per replication: the engine's test loss at the epoch with the lowest validation loss. */
  testLoss: number[];
  /** Per replication: each test row's loss at that epoch (the same rows in the same order for every transfer). */
  exampleLoss: Float64Array[];
}

export const transferOrder = (t: MeasuredTransfer): number => (t.own ? 0 : t.sources.length);
export const meanTestLoss = (t: MeasuredTransfer): number => mean(t.testLoss);

/** Every replication's test rows one after another: the examples of the tournament. */
function pooledLosses(t: MeasuredTransfer): Float64Array {
  const out = new Float64Array(t.exampleLoss.reduce((n, l) => n + l.length, 0));
  let offset = 0;
  for (const l of t.exampleLoss) {
    out.set(l, offset);
    offset += l.length;
  }
  return out;
}

/** One target's candidates (own network first) with their AHP-normalised performance from the per-example tournament. */
export interface TargetTournament {
  target: number;
  candidates: MeasuredTransfer[];
  ahp: AhpResult;
}

export function tournament(target: number, candidates: MeasuredTransfer[]): TargetTournament {
  const ordered = [...candidates.filter((c) => c.own), ...candidates.filter((c) => !c.own)];
  if (ordered.some((c) => c.target !== target))
    throw new RangeError(`a candidate for task ${target} serves another task`);
  return { target, candidates: ordered, ahp: ahpFromLosses(ordered.map(pooledLosses)) };
}

/** T×T matrices, [target][source]; the diagonal is the target's own network. */
export interface FirstOrderMatrices {
  /** Mean test loss over replications. */
  loss: number[][];
  /** AHP-normalised affinity among the target's own network and its T − 1 first-order sources (each row sums to 1). */
  affinity: number[][];
  /** Each target's first-order tournament. */
  tournaments: TargetTournament[];
}

export function firstOrderMatrices(taskCount: number, transfers: MeasuredTransfer[]): FirstOrderMatrices {
  const loss = Array.from({ length: taskCount }, () => new Array<number>(taskCount).fill(NaN));
  const affinity = Array.from({ length: taskCount }, () => new Array<number>(taskCount).fill(NaN));
  const tournaments = Array.from({ length: taskCount }, (_, target) => {
    const round = tournament(
      target,
      transfers.filter((t) => t.target === target && transferOrder(t) <= 1),
    );
    if (round.candidates.length !== taskCount)
      throw new RangeError(`task ${target} needs its own network and ${taskCount - 1} first-order transfers`);
    round.candidates.forEach((c, k) => {
      loss[target][c.sources[0]] = meanTestLoss(c);
      affinity[target][c.sources[0]] = round.ahp.weights[k];
    });
    return round;
  });
  return { loss, affinity, tournaments };
}

/**
 * Taskonomy's beam search for higher-order transfers: a target's source sets of each order above 1 are the
 * combinations of its `beam` best first-order sources (by normalised affinity). Sets come back sorted.
 */
export function beamSourceSets(affinityRow: number[], target: number, beam: number, orders: number[]): number[][] {
  const best = affinityRow
    .map((score, source) => ({ score, source }))
    .filter(({ source }) => source !== target)
    .sort((a, b) => b.score - a.score || a.source - b.source)
    .slice(0, beam)
    .map(({ source }) => source);
  return orders
    .filter((k) => k > 1)
    .flatMap((k) => combinations(best, k))
    .map((set) => set.sort((a, b) => a - b));
}
