import type { PairwiseResult } from '../analysis/pairwise.js';
import { matrixText, reliabilityText } from '../report/summary.js';
import { formatSeconds } from '../sweep/progress.js';

export function printPairwiseResult(result: PairwiseResult): void {
  const { sweep, estimate, files, backend, journalPath } = result;
  const lines = [
    `trained ${sweep.trained} networks on backend '${backend}' in ${formatSeconds(sweep.seconds)} (${sweep.skipped} already in ${journalPath})`,
    '',
    matrixText(estimate),
    '',
    reliabilityText(estimate),
    '',
    `wrote ${files.json}, ${files.csv}, ${files.graph}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
