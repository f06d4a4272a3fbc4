/**
 * Reliability reached per CPU-minute: the reference protocol (one holdout split per seed) against the default
 * estimator (5-fold cross-fitting), at equal numbers of trained networks, in the same run.
 * usage: node dist/bench/reliability.js [yeast|emotions] [--replications R] (default 5: 5 protocol seeds vs 1 seed x 5 folds)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { estimateAffinity } from '../src/affinity/estimate.js';
import { replicatesFromRecords } from '../src/affinity/gain.js';
import { inferCells } from '../src/affinity/inference.js';
import { loadDataset } from '../src/data/load.js';
import { PROTOCOL_SPLIT, type SplitScheme } from '../src/data/split.js';
import { selectBackend } from '../src/engine/backend.js';
import { defaultWorkers } from '../src/engine/parallel.js';
import { DEFAULT_ENGINE } from '../src/engine/settings.js';
import { sweepConfig } from '../src/sweep/config.js';
import { pairwiseGroups, replicationsOf } from '../src/sweep/plan.js';
import { runSweep } from '../src/sweep/run.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const name = args[0] && !args[0].startsWith('--') ? args[0] : 'yeast';
const replicationsFlag = args.indexOf('--replications');
const replications = replicationsFlag >= 0 ? Number(args[replicationsFlag + 1]) : 5;
const labels = { yeast: 14, emotions: 6 }[name];
if (!labels) throw new Error(`unknown data set ${name}: yeast or emotions`);
const dataset = loadDataset(join(root, 'analyses', 'data', `${name}.csv`), { tasks: `last:${labels}` });
const backend = await selectBackend();
const folds = 5;
const estimators: { label: string; split: SplitScheme; seeds: number[] }[] = [
  { label: 'protocol (holdout per seed)', split: PROTOCOL_SPLIT, seeds: Array.from({ length: replications }, (_, s) => s) },
  { label: `default (${folds}-fold cross-fitting)`, split: { kind: 'kfold', folds }, seeds: Array.from({ length: Math.max(1, Math.round(replications / folds)) }, (_, s) => s) },
];
process.stdout.write(`${name}: ${labels} tasks, ${pairwiseGroups(labels).length} networks per replication, ${DEFAULT_ENGINE.epochs} epochs, backend ${backend}\n`);
for (const { label, split, seeds } of estimators) {
  const dir = mkdtempSync(join(tmpdir(), 'tra-bench-'));
  const cpuStart = process.cpuUsage();
  const sweep = await runSweep({
    dataset,
    config: sweepConfig(dataset, DEFAULT_ENGINE, split),
    groups: pairwiseGroups(labels),
    seeds,
    journalPath: join(dir, 'journal.jsonl'),
    backend,
    workers: defaultWorkers(),
    quiet: true,
  });
  const cpu = process.cpuUsage(cpuStart);
  const cpuMinutes = (cpu.user + cpu.system) / 60e6;
  const replicates = replicatesFromRecords(sweep.journal.records, labels, replicationsOf(split, seeds).map((r) => r.key));
  const estimate = estimateAffinity(dataset.taskNames, replicates);
  const inference = inferCells(replicates);
  const r = estimate.reliability.reliability;
  process.stdout.write(
    `  ${label.padEnd(32)} ${String(replicates.length).padStart(3)} replications  ${cpuMinutes.toFixed(2).padStart(6)} CPU-min  ${sweep.seconds.toFixed(0).padStart(5)} s wall  ` +
      `reliability ${r.toFixed(3)}  per CPU-min ${(r / cpuMinutes).toFixed(3)}  significant cells ${inference.counts.helps + inference.counts.hurts}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
}
