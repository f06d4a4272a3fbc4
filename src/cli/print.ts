import { runPairwiseAnalysis, runShard, type PairwiseResult } from '../analysis/pairwise.js';
import { writeArtefacts } from '../analysis/write.js';
import type { AnalysisSpec } from '../analysis/spec.js';
import { parseShard } from '../sweep/run.js';
import { matrixLines, reliabilityText } from '../report/summary.js';
import { formatSeconds } from '../sweep/progress.js';
import { join } from 'node:path';
import { InputError } from '../data/errors.js';
import { epochsTrained } from '../engine/settings.js';
import { signedPercent } from './format.js';
import { isCommandConfig } from '../sweep/config.js';

export function printPairwiseResult(result: PairwiseResult, files: string[]): void {
  const { sweep, estimate, inference, nullControls, adaptive, backend, journalPath, config } = result;
  const engine = isCommandConfig(config) ? { epochs: config.epochs } : config.engine;
  const { helps, hurts } = inference.counts;
  // one record at a time: the journal's records are rebuilt from its columns when read (sweep/recordStore.ts)
  let epochsRun = 0;
  for (const r of sweep.journal.records.values()) epochsRun += epochsTrained(engine, r.bestEpoch);
  const trainedShare = epochsRun / (sweep.journal.records.size * engine.epochs);
  const head = [
    `trained ${sweep.trained} networks ${isCommandConfig(config) ? 'through your command' : `on backend '${backend}'`} in ${formatSeconds(sweep.seconds)} (${sweep.skipped} already in ${journalPath})` +
      ('patience' in engine && engine.patience
        ? `; with patience ${engine.patience} the journal's networks trained ${(100 * trainedShare).toFixed(0)}% of their ${engine.epochs} epochs on average`
        : ''),
    '',
  ];
  const lines = [
    '',
    reliabilityText(estimate),
    `verdicts: ${helps} helps, ${hurts} hurts, ${inference.counts['no evidence']} no evidence (${inference.method})`,
  ];
  if (nullControls) {
    const { bias, counts, cells } = nullControls;
    lines.push(
      `null controls (${nullControls.tasks.join(', ')}): mean gain from a null partner ${signedPercent(bias.mean)} [${signedPercent(bias.low)}, ${signedPercent(bias.high)}]; ` +
        `${counts.helps + counts.hurts} of ${cells} null cells got a verdict`,
    );
  }
  if (adaptive) lines.push(`adaptive run: ${adaptive.reason}`);
  lines.push('', `wrote ${files.join(', ')}`);
  // the matrix a row at a time (1000 tasks: 7 MB of text), between the lines before and after it
  process.stdout.write(`${head.join('\n')}\n`);
  for (const line of matrixLines(estimate, inference, result.allocation?.source)) process.stdout.write(`${line}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The whole analysis, or one shard of its sweep (then the default output folder names the shard). */
export async function runAnalysisOrShard(
  spec: AnalysisSpec,
  {
    shard: shardSpec,
    queue,
    progress,
    maxHours,
  }: { shard?: string; queue?: string; progress?: boolean; maxHours?: number },
): Promise<void> {
  // a malformed URL is an error before the data is read; the queue client (bullmq) loads only with --queue
  if (queue !== undefined) (await import('../sweep/queue.js')).connectionOf(queue);
  if (shardSpec === undefined) {
    const result = await runPairwiseAnalysis(spec, { progress, queue, maxHours });
    printPairwiseResult(result, writeArtefacts(result));
    return;
  }
  if (queue) throw new InputError('--shard and --queue do not mix: a queue already spreads the sweep over its workers');
  const shard = parseShard(shardSpec);
  // A folder the definition names is used as it is, as `tra sweep --out` is: the user placed each shard.
  const named = spec.out !== join('reports', spec.name);
  const out = named ? spec.out : join('reports', `${spec.name}-shard-${shard.index}-of-${shard.count}`);
  const sweep = await runShard({ ...spec, out }, shard, { progress });
  const journals = named
    ? "<each shard's journal.jsonl>"
    : `reports/${spec.name}-shard-*-of-${shard.count}/journal.jsonl`;
  process.stdout.write(
    `shard ${shard.index}/${shard.count}: trained ${sweep.trained} networks (${sweep.skipped} already done) into ${sweep.journal.path}\n` +
      `when every shard is done: tra merge ${named ? '<folder>' : `reports/${spec.name}`} ${journals}\n`,
  );
}
