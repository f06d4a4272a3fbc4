import { join } from 'node:path';
import { estimateAffinity, type AffinityEstimate } from '../affinity/estimate.js';
import { replicatesFromRecords } from '../affinity/gain.js';
import { loadDataset } from '../data/load.js';
import { InputError } from '../data/errors.js';
import { selectBackend, type BackendName } from '../engine/backend.js';
import * as tf from '@tensorflow/tfjs';
import { configHash, sweepConfig, type SweepConfig } from '../sweep/config.js';
import { readJournal, type NetworkRecord } from '../sweep/journal.js';
import { pairwiseGroups, parseGroups, parseSeeds, uniqueGroups } from '../sweep/plan.js';
import { runSweep, type SweepOutcome } from '../sweep/run.js';
import { writeAffinityFiles, type AffinityFiles } from '../report/affinityFiles.js';
import { commandLine, toolVersion, type Provenance } from '../report/provenance.js';
import type { AnalysisSpec } from './spec.js';

export interface PairwiseResult {
  estimate: AffinityEstimate;
  files: AffinityFiles;
  sweep: SweepOutcome;
  backend: BackendName;
  journalPath: string;
}

export const journalPathOf = (outDir: string): string => join(outDir, 'journal.jsonl');

/** Loads the data, sweeps singles and pairs (and any extra groups) over the seeds, and writes the affinity files. */
export async function runPairwiseAnalysis(spec: AnalysisSpec, options: { quiet?: boolean } = {}): Promise<PairwiseResult> {
  const dataset = loadDataset(spec.data, { tasks: spec.tasks, features: spec.features, taskKind: spec.taskKind });
  if (dataset.taskNames.length < 2) throw new InputError('a pairwise analysis needs at least two tasks');
  if (spec.engine.taskWeights && spec.engine.taskWeights.length !== dataset.taskNames.length)
    throw new InputError(`taskWeights has ${spec.engine.taskWeights.length} entries for ${dataset.taskNames.length} tasks`);
  const backend = await selectBackend(spec.backend);
  const seeds = parseSeeds(spec.seeds);
  const extra = spec.groups ? parseGroups(spec.groups, dataset.taskNames) : [];
  const groups = uniqueGroups([...pairwiseGroups(dataset.taskNames.length), ...extra]);
  const config = sweepConfig(dataset, spec.engine, spec.split);
  const journalPath = journalPathOf(spec.out);
  const sweep = await runSweep({ dataset, config, groups, seeds, journalPath, backend, workers: spec.workers, quiet: options.quiet });
  const records = sweep.journal.records;
  const estimate = estimateAffinity(dataset.taskNames, replicatesFromRecords(records, dataset.taskNames.length, seeds), spec.level);
  const files = writeAffinityFiles(spec.out, estimate, provenanceOf(config, records, sweep.seconds));
  return { estimate, files, sweep, backend, journalPath };
}

/** Recomputes the affinity files from an existing journal (e.g. at another confidence level), without training. */
export function affinityFromJournal(outDir: string, level = 0.95): { estimate: AffinityEstimate; files: AffinityFiles } {
  const { header, records } = readJournal(journalPathOf(outDir));
  const config = header.config as SweepConfig;
  const taskNames = config.data.taskNames;
  const pairs = pairwiseGroups(taskNames.length).length;
  const perSeed = new Map<number, number>();
  for (const r of records.values()) if (r.group.length <= 2) perSeed.set(r.seed, (perSeed.get(r.seed) ?? 0) + 1);
  const seeds = [...perSeed].filter(([, n]) => n === pairs).map(([s]) => s).sort((a, b) => a - b);
  if (seeds.length === 0) throw new InputError(`${journalPathOf(outDir)} holds no seed with every single and pair network finished`);
  const estimate = estimateAffinity(taskNames, replicatesFromRecords(records, taskNames.length, seeds), level);
  const sweepSeconds = [...records.values()].reduce((s, r) => s + r.seconds, 0);
  return { estimate, files: writeAffinityFiles(outDir, estimate, provenanceOf(config, records, sweepSeconds)) };
}

function provenanceOf(config: SweepConfig, records: Map<string, NetworkRecord>, sweepSeconds: number): Provenance {
  return {
    tool: 'task-relations',
    toolVersion: toolVersion(),
    node: process.version,
    tfjs: tf.version.tfjs,
    backends: [...new Set([...records.values()].map((r) => r.backend))],
    command: commandLine(),
    data: { source: config.data.source, sha256: config.data.sha256, rows: config.data.rows },
    configHash: configHash(config),
    createdAt: new Date().toISOString(),
    sweepSeconds,
  };
}
