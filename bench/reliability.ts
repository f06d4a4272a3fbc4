/**
 * Reliability reached per CPU-minute: the reference protocol (one holdout split per seed, every network trains all
 * epochs) against the default estimator (5-fold cross-fitting, patience 8), with as many replications each, in the
 * same run.
 * usage: node dist/bench/reliability.js [yeast|emotions] [--replications R] [--first-seed S]
 *   (default 10: 10 protocol seeds against 2 seeds x 5 folds, seeds counted from S = 0; another S repeats the
 *   comparison on independent seeds)
 *
 * Split-half reliability r grows with the replications as Spearman-Brown says, so r / (1 - r) (the matrix's signal-to-
 * noise ratio) grows linearly with compute. Its rate per CPU-minute compares the estimators at any target: the
 * default needs (r_p / (1 - r_p)) / rate_default CPU-minutes to reach the protocol's reliability r_p (a projection).
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
import { PROTOCOL_ENGINE, epochsTrained, type EngineSettings } from '../src/engine/settings.js';
import { DEFAULT_ENGINE } from '../src/options/engine.js';
import { sweepConfig } from '../src/sweep/config.js';
import { pairwiseGroups, replicationsOf, SweepGroups } from '../src/sweep/plan.js';
import { runSweep } from '../src/sweep/run.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const name = args[0] && !args[0].startsWith('--') ? args[0] : 'yeast';
const replicationsFlag = args.indexOf('--replications');
const replications = replicationsFlag >= 0 ? Number(args[replicationsFlag + 1]) : 10;
const firstSeedFlag = args.indexOf('--first-seed');
const firstSeed = firstSeedFlag >= 0 ? Number(args[firstSeedFlag + 1]) : 0;
const seedRange = (count: number): number[] => Array.from({ length: count }, (_, s) => firstSeed + s);
const labels = { yeast: 14, emotions: 6 }[name];
if (!labels) throw new Error(`unknown data set ${name}: yeast or emotions`);
const dataset = loadDataset(join(root, 'analyses', 'data', `${name}.csv`), { tasks: `last:${labels}` });
const backend = await selectBackend();
const folds = 5;
/** A matrix's reliability as a signal-to-noise ratio, which Spearman-Brown makes proportional to the replications. */
const signalToNoise = (r: number): number => (r > 0 ? r / (1 - r) : 0);
const estimators: { label: string; split: SplitScheme; seeds: number[]; engine: EngineSettings }[] = [
  {
    label: 'protocol (holdout per seed)',
    split: PROTOCOL_SPLIT,
    seeds: seedRange(replications),
    engine: PROTOCOL_ENGINE,
  },
  {
    label: `default (${folds}-fold, patience ${DEFAULT_ENGINE.patience})`,
    split: { kind: 'kfold', folds },
    seeds: seedRange(Math.max(1, Math.round(replications / folds))),
    engine: DEFAULT_ENGINE,
  },
];
process.stdout.write(
  `${name}: ${labels} tasks, ${pairwiseGroups(labels).length} networks per replication, at most ${DEFAULT_ENGINE.epochs} epochs, seeds from ${firstSeed}, backend ${backend}\n`,
);
const measured: { label: string; reliability: number; cpuMinutes: number }[] = [];
for (const { label, split, seeds, engine } of estimators) {
  const dir = mkdtempSync(join(tmpdir(), 'tra-bench-'));
  const cpuStart = process.cpuUsage();
  const sweep = await runSweep({
    dataset,
    config: sweepConfig(dataset, engine, split),
    groups: SweepGroups.pairwise(labels),
    seeds,
    journalPath: join(dir, 'journal.jsonl'),
    backend,
    workers: defaultWorkers(),
    quiet: true,
  });
  const cpu = process.cpuUsage(cpuStart);
  const cpuMinutes = (cpu.user + cpu.system) / 60e6;
  const replicates = replicatesFromRecords(
    sweep.journal.records,
    labels,
    replicationsOf(split, seeds).map((r) => r.key),
  );
  const estimate = estimateAffinity(dataset.taskNames, replicates, 0.95);
  const inference = inferCells(replicates, 0.05);
  const r = estimate.reliability.reliability;
  measured.push({ label, reliability: r, cpuMinutes });
  // the work itself, which machine load does not blur: a network trains until `patience` epochs after its best one
  const networkEpochs = [...sweep.journal.records.values()].reduce(
    (sum, record) => sum + epochsTrained(engine, record.bestEpoch),
    0,
  );
  process.stdout.write(
    `  ${label.padEnd(32)} ${String(replicates.length).padStart(3)} replications  ${String(networkEpochs).padStart(6)} network-epochs  ${cpuMinutes.toFixed(2).padStart(6)} CPU-min  ${sweep.seconds.toFixed(0).padStart(5)} s wall  ` +
      `reliability ${r.toFixed(3)}  r/(1-r) per CPU-min ${(signalToNoise(r) / cpuMinutes).toFixed(3)}  significant cells ${inference.counts.helps + inference.counts.hurts}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
}

const [protocol, standard] = measured;
const needed = signalToNoise(protocol.reliability) / (signalToNoise(standard.reliability) / standard.cpuMinutes);
process.stdout.write(
  `  the default would reach the protocol's reliability ${protocol.reliability.toFixed(3)} in ${needed.toFixed(2)} CPU-min (projected), ` +
    `${((100 * needed) / protocol.cpuMinutes).toFixed(0)}% of the protocol's ${protocol.cpuMinutes.toFixed(2)} (target: at most 50%)\n`,
);
