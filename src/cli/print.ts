import type { PairwiseResult } from '../analysis/pairwise.js';
import { matrixText, reliabilityText } from '../report/summary.js';
import { formatSeconds } from '../sweep/progress.js';

const percent = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;

export function printPairwiseResult(result: PairwiseResult): void {
  const { sweep, estimate, inference, nullControls, adaptive, files, backend, journalPath } = result;
  const { helps, hurts } = inference.counts;
  const lines = [
    `trained ${sweep.trained} networks on backend '${backend}' in ${formatSeconds(sweep.seconds)} (${sweep.skipped} already in ${journalPath})`,
    '',
    matrixText(estimate, inference),
    '',
    reliabilityText(estimate),
    `verdicts: ${helps} helps, ${hurts} hurts, ${inference.counts['no evidence']} no evidence (${inference.method})`,
  ];
  if (nullControls) {
    const { bias, counts, cells } = nullControls;
    lines.push(
      `null controls (${nullControls.tasks.join(', ')}): mean gain from a null partner ${percent(bias.mean)} [${percent(bias.low)}, ${percent(bias.high)}]; ` +
        `${counts.helps + counts.hurts} of ${cells} null cells got a verdict`,
    );
  }
  if (adaptive) lines.push(`adaptive run: ${adaptive.reason}`);
  lines.push('', `wrote ${files.json}, ${files.csv}, ${files.graph}`);
  process.stdout.write(lines.join('\n') + '\n');
}
