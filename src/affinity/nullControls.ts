import type { AffinityEstimate } from './estimate.js';
import type { CellInference, Verdict } from './inference.js';
import { mean, seedInterval, type Interval } from './stats.js';

/** What null tasks reveal: the systematic gain of adding any second task, and how often noise gets a verdict. */
export interface NullControlReport {
  tasks: string[];
  /** Mean gain a real task gets from a null partner, per replication averaged over those cells, with its seed-level interval. */
  bias: Interval;
  /** Verdicts of the (real task, null partner) cells. */
  counts: Record<Verdict, number>;
  cells: number;
}

export function nullControlReport(
  estimate: AffinityEstimate,
  inference: CellInference,
  controlOf: number[],
): NullControlReport {
  const real = controlOf.map((c, t) => (c < 0 ? t : -1)).filter((t) => t >= 0);
  const controls = controlOf.map((c, t) => (c >= 0 ? t : -1)).filter((t) => t >= 0);
  const cells = real.flatMap((i) => controls.map((j) => [i, j] as const));
  const counts: Record<Verdict, number> = { helps: 0, hurts: 0, 'no evidence': 0 };
  for (const [i, j] of cells) {
    const verdict = inference.verdict[i][j];
    if (verdict) counts[verdict]++;
  }
  return {
    tasks: controls.map((t) => estimate.taskNames[t]),
    bias: seedInterval(
      estimate.perReplication.map((m) => mean(cells.map(([i, j]) => m[i][j]))),
      estimate.replications,
      estimate.level,
    ),
    counts,
    cells: cells.length,
  };
}
