import type { Matrix, Replicate } from './gain.js';
import { CellSeedMeans, mean, SEED_LEVEL, seedOfReplication, tTestPValue } from './stats.js';

export type Verdict = 'helps' | 'hurts' | 'no evidence';

/** Per-cell paired inference: does training task i with j change i's loss, beyond replication noise? */
export interface CellInference {
  method: string;
  /** False-discovery rate at which verdicts are declared (Benjamini-Hochberg over all off-diagonal cells). */
  fdr: number;
  /** Mean paired difference L_i({i}) - L_i({i,j}) over seeds (positive: j helps i). */
  meanDifference: Matrix;
  /** Two-sided p-value of the paired t-test over seeds; NaN on the diagonal or with fewer than two seeds. */
  pValue: Matrix;
  verdict: (Verdict | null)[][];
  counts: Record<Verdict, number>;
}

/**
 * Paired t-tests of L_i({i}) - L_i({i,j}): within one replication both networks share the split, the initialisation
 * and the batch order, so the difference cancels most of their common noise. The folds of one seed are averaged first
 * and the test runs over seeds (SEED_LEVEL): folds share a seed's initialisation and validation rows.
 * With `nullBiasOf` (controlOf of the null-control tasks), each real task's difference is taken relative to what a
 * null partner does to it in the same replication: the question becomes "does j help i more than any task would?".
 */
export function inferCells(replicates: Replicate[], fdr: number, nullBiasOf?: number[]): CellInference {
  const T = replicates[0].single.length;
  const replications = replicates.map((r) => r.replication);
  const controls = nullBiasOf ? nullBiasOf.map((c, t) => (c >= 0 ? t : -1)).filter((t) => t >= 0) : [];
  const raw = (r: Replicate, i: number, j: number): number => r.single[i] - r.pair[i][j];
  const biasOf = (r: Replicate, i: number): number => {
    const partners = controls.filter((k) => k !== i);
    return nullBiasOf && nullBiasOf[i] < 0 && partners.length ? mean(partners.map((k) => raw(r, i, k))) : 0;
  };
  // per replication and row task, once rather than per cell
  const bias = replicates.map((r) => Float64Array.from({ length: T }, (_, i) => biasOf(r, i)));
  // a replication that did not train the pair (NaN) is left out of its test
  const seedMeans = new CellSeedMeans(replications);
  const perReplication = new Float64Array(replicates.length);
  const differences = (i: number, j: number): Float64Array => {
    for (let k = 0; k < replicates.length; k++) perReplication[k] = raw(replicates[k], i, j) - bias[k][i];
    return seedMeans.of(perReplication);
  };
  const n = new Set(replications.map(seedOfReplication)).size;
  // cell by cell, into flat arrays of the off-diagonal cells (row by row): a million cell objects (1000 tasks) were
  // 100 MB held at once
  // rows of doubles from the start (estimate.ts says why)
  const meanDifference: Matrix = Array.from({ length: T }, () => new Array<number>(T).fill(NaN));
  const pValue: Matrix = Array.from({ length: T }, () => new Array<number>(T).fill(NaN));
  const effects = new Float64Array(T * (T - 1));
  const pValues = new Float64Array(T * (T - 1));
  // a cell no replication trained (an allocation's approximated or predicted cell) has no test and no verdict
  const untested = new Uint8Array(T * (T - 1));
  for (let i = 0, cell = 0; i < T; i++)
    for (let j = 0; j < T; j++) {
      if (i === j) {
        meanDifference[i][j] = 0;
        pValue[i][j] = NaN;
        continue;
      }
      const values = differences(i, j);
      untested[cell] = values.length === 0 ? 1 : 0;
      meanDifference[i][j] = mean(values);
      pValue[i][j] = tTestPValue(values);
      effects[cell] = meanDifference[i][j];
      pValues[cell++] = pValue[i][j];
    }
  const discovered = discoveries(pValues, fdr);
  const verdict: (Verdict | null)[][] = meanDifference.map((row) => row.map(() => null));
  const counts: Record<Verdict, number> = { helps: 0, hurts: 0, 'no evidence': 0 };
  for (let i = 0, cell = 0; i < T; i++)
    for (let j = 0; j < T; j++)
      if (i !== j) {
        const found = untested[cell] ? null : verdictOf(effects[cell], discovered[cell] === 1);
        cell++;
        verdict[i][j] = found;
        if (found) counts[found]++;
      }
  const relative = controls.length ? ", relative to the same replication's mean null-partner difference" : '';
  return {
    method: `paired t-test of L_i({i}) - L_i({i,j}) over ${n} seeds (${replications.length} replications; ${SEED_LEVEL})${relative}; Benjamini-Hochberg at FDR ${fdr} over ${effects.length - untested.reduce((n, u) => n + u, 0)} cells`,
    fdr,
    meanDifference,
    pValue,
    verdict,
    counts,
  };
}

/** Helps or hurts (by the effect's sign) where Benjamini-Hochberg discovers the effect at false-discovery rate q; else no evidence. */
export function fdrVerdicts(effects: ArrayLike<number>, pValues: ArrayLike<number>, q: number): Verdict[] {
  const discovered = discoveries(pValues, q);
  return Array.from(effects, (effect, k) => verdictOf(effect, discovered[k] === 1));
}

const verdictOf = (effect: number, discovered: boolean): Verdict =>
  !discovered ? 'no evidence' : effect > 0 ? 'helps' : 'hurts';

/** Which hypotheses the Benjamini-Hochberg step-up procedure rejects at false-discovery rate q (NaN p: never). */
export const benjaminiHochberg = (pValues: ArrayLike<number>, q: number): boolean[] =>
  Array.from(discoveries(pValues, q), (rejected) => rejected === 1);

/**
 * benjaminiHochberg's answer as bytes (1: rejected), made in typed arrays: at 1000 tasks a million hypotheses as lists of
 * numbers and booleans were 8 MB each, allocated whole in the old heap and left there as garbage.
 */
function discoveries(pValues: ArrayLike<number>, q: number): Uint8Array {
  let m = 0;
  for (let k = 0; k < pValues.length; k++) if (Number.isFinite(pValues[k])) m++;
  // hypotheses by rank as indices, not one object each; ties may take any order: a tie is never split by the cutoff,
  // whose threshold grows with the rank
  const order = new Int32Array(m);
  for (let k = 0, rank = 0; k < pValues.length; k++) if (Number.isFinite(pValues[k])) order[rank++] = k;
  order.sort((a, b) => pValues[a] - pValues[b]);
  let cutoff = -1;
  for (let rank = 0; rank < m; rank++) if (pValues[order[rank]] <= ((rank + 1) / m) * q) cutoff = rank;
  const rejected = new Uint8Array(pValues.length);
  for (let rank = 0; rank <= cutoff; rank++) rejected[order[rank]] = 1;
  return rejected;
}
