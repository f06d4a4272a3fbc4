/**
 * The data sets of the allocation bench and their cached sweeps: every single and pair network of each data set trained
 * on a large reference set of seeds and on a pool of other seeds that the strategies draw from. A network's result
 * depends only on its seed and group (sweep/run.ts trains each replication's networks with one initialisation and
 * batch order), so a strategy that trains a network reads it from the pool instead. The journals live outside the
 * repository (~/.cache/task-relations/allocation/) and are resumed, so a rerun trains nothing.
 */
import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../src/data/dataset.js';
import { loadDataset } from '../../src/data/load.js';
import { PROTOCOL_SPLIT } from '../../src/data/split.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import type { BackendName } from '../../src/engine/backend.js';
import { defaultWorkers } from '../../src/engine/parallel.js';
import { PROTOCOL_ENGINE, type EngineSettings } from '../../src/engine/settings.js';
import { DEFAULT_ENGINE } from '../../src/options/engine.js';
import { configHash, sweepConfig, type SweepConfig } from '../../src/sweep/config.js';
import type { Records } from '../../src/sweep/journal.js';
import { SweepGroups } from '../../src/sweep/plan.js';
import { runSweep } from '../../src/sweep/run.js';

export interface BenchSet {
  name: string;
  what: string;
  dataset: Dataset;
  engine: EngineSettings;
  /** The seeds of a full sweep of this data set's definition (analyses/*.json), or 3. */
  fullSeeds: number;
  /** At most this many reference and pool seeds, whatever the command line asks (the 174-task set: 15,225 networks a seed). */
  seedCap?: { reference: number; pool: number };
  /** Left out of `all`: runs only when named. */
  onlyWhenNamed?: boolean;
}

const dataDir = existsSync('analyses/data/yeast.csv') ? 'analyses/data' : '/work/shared/data';

/**
 * yeast and emotions with their definitions' engines (analyses/*-pairwise.json); three planted settings; the 174-task
 * planted set of bench/planner.ts (only when named: its pool takes about half an hour to train); four held-out draws of
 * the planted recipes (only when named).
 */
export function benchSets(): BenchSet[] {
  return [
    {
      name: 'yeast',
      what: '14 functional classes, 2417 rows (analyses/yeast-pairwise.json: patience 0)',
      dataset: loadDataset(join(dataDir, 'yeast.csv'), { tasks: 'last:14' }),
      engine: PROTOCOL_ENGINE,
      fullSeeds: 3,
    },
    {
      name: 'emotions',
      what: '6 labels, 593 rows (analyses/emotions-pairwise.json: patience 8)',
      dataset: loadDataset(join(dataDir, 'emotions.csv'), { tasks: 'last:6' }),
      engine: DEFAULT_ENGINE,
      fullSeeds: 4,
    },
    {
      name: 'planted-clusters',
      what: '3 clusters x 3 binary tasks, 400 rows, 10% flipped labels',
      dataset: plantedClusters({ rows: 400, features: 20, clusters: 3, tasksPerCluster: 3, seed: 1 }).dataset,
      engine: DEFAULT_ENGINE,
      fullSeeds: 3,
    },
    {
      name: 'planted-conflict',
      what: '2 clusters x 3 regression tasks + 3 large noise tasks (negative transfer), 400 rows',
      dataset: plantedClusters({ ...PLANTED_CONFLICT, seed: 2 }).dataset,
      engine: DEFAULT_ENGINE,
      fullSeeds: 3,
    },
    {
      name: 'planted-weak',
      what: '4 clusters x 3 regression tasks, 60% private signal, noise sd 1.5, 300 rows (close contenders)',
      dataset: plantedClusters({
        rows: 300,
        features: 20,
        clusters: 4,
        tasksPerCluster: 3,
        privateShare: 0.6,
        kind: 'regression',
        labelNoise: 1.5,
        seed: 3,
      }).dataset,
      engine: DEFAULT_ENGINE,
      fullSeeds: 3,
    },
    {
      name: 'planted174',
      what: '29 clusters x 6 binary tasks, 502 rows, 72 features (bench/planner.ts), 10 epochs, patience 8; reference 5 seeds, pool 3',
      dataset: plantedClusters({ rows: 502, features: 72, clusters: 29, tasksPerCluster: 6, seed: 3 }).dataset,
      engine: { ...DEFAULT_ENGINE, epochs: 10 },
      fullSeeds: 3,
      seedCap: { reference: 5, pool: 3 },
      onlyWhenNamed: true,
    },
    // held out: other draws of the planted recipes, never used to choose a strategy's rule or constant, so that a rule
    // fitted to the five sets above can be checked on data it has not seen
    ...heldOut.map(
      ([name, what, options]): BenchSet => ({
        name,
        what: `held out: ${what}`,
        dataset: plantedClusters(options).dataset,
        engine: DEFAULT_ENGINE,
        fullSeeds: 3,
        onlyWhenNamed: true,
      }),
    ),
  ];
}

/** planted-conflict's recipe (its draw is the seed): planted-conflict-c is another draw of it. */
const PLANTED_CONFLICT = {
  rows: 400,
  features: 20,
  clusters: 2,
  tasksPerCluster: 3,
  noiseTasks: 3,
  noiseScale: 3,
  kind: 'regression',
  labelNoise: 0.5,
} as const;

const heldOut: [string, string, Parameters<typeof plantedClusters>[0]][] = [
  [
    'planted-conflict-b',
    '3 clusters x 2 regression tasks + 2 noise tasks (scale 2), 400 rows',
    {
      rows: 400,
      features: 20,
      clusters: 3,
      tasksPerCluster: 2,
      noiseTasks: 2,
      noiseScale: 2,
      kind: 'regression',
      labelNoise: 0.5,
      seed: 11,
    },
  ],
  ['planted-conflict-c', "planted-conflict's recipe, another draw", { ...PLANTED_CONFLICT, seed: 21 }],
  [
    'planted-clusters-b',
    '2 clusters x 4 binary tasks, 400 rows',
    { rows: 400, features: 20, clusters: 2, tasksPerCluster: 4, seed: 12 },
  ],
  [
    'planted-weak-b',
    '3 clusters x 3 regression tasks, 50% private signal, noise sd 1, 300 rows',
    {
      rows: 300,
      features: 20,
      clusters: 3,
      tasksPerCluster: 3,
      privateShare: 0.5,
      kind: 'regression',
      labelNoise: 1,
      seed: 13,
    },
  ],
];

/** Seeds of the reference sweep start here; the pool's seeds are 0, 1, 2, ... */
export const REFERENCE_FIRST_SEED = 1000;

export const cacheRoot = (): string =>
  process.env.TRA_BENCH_CACHE ?? join(homedir(), '.cache', 'task-relations', 'allocation');

export interface CachedSweep {
  config: SweepConfig;
  records: Records;
  referenceSeeds: number[];
  poolSeeds: number[];
  journalPath: string;
}

/** Trains (or resumes) every single and pair on the reference seeds and the pool seeds, into one cached journal. */
export async function cachedSweep(
  set: BenchSet,
  referenceAsked: number,
  poolAsked: number,
  backend: BackendName,
  quiet = true,
): Promise<CachedSweep> {
  const config = sweepConfig(set.dataset, set.engine, PROTOCOL_SPLIT);
  const referenceCount = Math.min(referenceAsked, set.seedCap?.reference ?? Infinity);
  const poolCount = Math.min(poolAsked, set.seedCap?.pool ?? Infinity);
  const journalPath = join(cacheRoot(), `${set.name}-${configHash(config).slice(0, 12)}`, 'journal.jsonl');
  const referenceSeeds = Array.from({ length: referenceCount }, (_, k) => REFERENCE_FIRST_SEED + k);
  const poolSeeds = Array.from({ length: poolCount }, (_, k) => k);
  const sweep = await runSweep({
    dataset: set.dataset,
    config,
    groups: SweepGroups.pairwise(set.dataset.taskNames.length),
    seeds: [...referenceSeeds, ...poolSeeds],
    journalPath,
    backend,
    workers: defaultWorkers(),
    quiet,
  });
  return { config, records: sweep.journal.records, referenceSeeds, poolSeeds, journalPath };
}
