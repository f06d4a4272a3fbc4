import type { AffinityEstimate } from '../affinity/estimate.js';
import type { CellInference } from '../affinity/inference.js';
import { reliabilityClamped } from '../affinity/stats.js';
import { LOW_RELIABILITY } from '../affinity/warnings.js';

export { LOW_RELIABILITY };

/** Plain-language reading of the matrix's reliability, shown wherever the matrix is. */
export function reliabilityText(estimate: AffinityEstimate): string {
  const { reliability, replications, halfCorrelation } = estimate.reliability;
  if (!Number.isFinite(reliability))
    return `reliability: not measurable with ${replications} replication; run more seeds or cross-fit with folds`;
  const head = reliabilityClamped(halfCorrelation)
    ? `reliability 0 (clamped: the two halves of the seeds disagree, split-half Spearman ${halfCorrelation.toFixed(2)} over ${replications} replications; Spearman-Brown is not defined below 0)`
    : `reliability ${reliability.toFixed(2)} (split-half Spearman ${halfCorrelation.toFixed(2)} over ${replications} replications, Spearman-Brown corrected)`;
  return reliability < LOW_RELIABILITY
    ? `${head}\nWARNING: below ${LOW_RELIABILITY}: most of this matrix is seed noise; add seeds before grouping tasks on it`
    : head;
}

/** The gain matrix in percent; '+' / '-' mark the cells whose verdict is helps / hurts. */
export const matrixText = (
  estimate: AffinityEstimate,
  inference: CellInference,
  sources?: readonly (readonly (string | null)[])[],
): string => [...matrixLines(estimate, inference, sources)].join('\n');

/**
 * matrixText's lines (no newlines), one row at a time: a 1000-task matrix's text is 14 MB of two-byte strings ('—' on
 * its diagonal), which the terminal output held whole, twice, on top of the heap's peak.
 */
export function* matrixLines(
  estimate: AffinityEstimate,
  inference: CellInference,
  sources?: readonly (readonly (string | null)[])[],
): Generator<string> {
  const names = estimate.taskNames.map((n, i) => `${i}:${n.length > 14 ? `${n.slice(0, 13)}…` : n}`);
  const width = Math.max(...names.map((n) => n.length));
  // a cell no network trained in full has no verdict: its mark says where its number comes from instead
  const sourceMark: Record<string, string> = { approximated: 'a', predicted: 'p' };
  const cell = (i: number, j: number): string => {
    if (i === j) return '—'.padStart(7);
    const source = sourceMark[sources?.[i][j] ?? ''];
    const mark = source ?? { helps: '+', hurts: '-', 'no evidence': ' ' }[inference.verdict[i][j] ?? 'no evidence'];
    return `${(estimate.mean[i][j] * 100).toFixed(1)}${mark}`.padStart(7);
  };
  const marked = (code: string): boolean =>
    sources?.some((row) => row.some((source) => sourceMark[source ?? ''] === code)) ?? false;
  yield `${'gain % (row helped by column)'.padEnd(width)} ${estimate.taskNames.map((_, j) => String(j).padStart(7)).join('')}`;
  for (let i = 0; i < names.length; i++)
    yield `${names[i].padEnd(width)} ${estimate.taskNames.map((_, j) => cell(i, j)).join('')}`;
  yield `+/- verdict helps/hurts at FDR ${inference.fdr} over ${estimate.replications.length} replications` +
    (marked('a') ? '; a approximated from short runs' : '') +
    (marked('p') ? '; p predicted by the gain predictor, never trained' : '') +
    (marked('a') || marked('p') ? ' (no verdict, not in the reliability)' : '');
}
