import { createHash } from 'node:crypto';
import type { Dataset, TaskKind } from './dataset.js';
import { normalSampler, seededRandom } from './random.js';

export interface PlantedClustersOptions {
  rows: number;
  features: number;
  clusters: number;
  tasksPerCluster: number;
  /** Share of each task's signal that is its own rather than its cluster's (0: identical latent within a cluster). */
  privateShare: number;
  /** Probability that a binary label is flipped (or the noise sd, in units of the signal, for regression). */
  labelNoise: number;
  /** Extra tasks with pure-noise labels: a trunk shared with one of them memorises noise, so they hurt (the planted conflict). */
  noiseTasks: number;
  /** Scale of regression noise tasks relative to the signal: larger ones dominate an unweighted shared loss. */
  noiseScale: number;
  kind: TaskKind;
  seed: number;
}

export const DEFAULT_PLANTED: PlantedClustersOptions = {
  rows: 400,
  features: 20,
  clusters: 3,
  tasksPerCluster: 3,
  privateShare: 0.2,
  labelNoise: 0.1,
  noiseTasks: 0,
  noiseScale: 3,
  kind: 'binary',
  seed: 1,
};

export interface PlantedClusters {
  dataset: Dataset;
  /** The planted cluster of every task; -1 for noise tasks. */
  clusterOf: number[];
}

/**
 * Tasks in one cluster share a latent direction of the features (plus a private part); clusters are
 * independent of each other, so across-cluster pairs share nothing, and noise tasks conflict with everything.
 */
export function plantedClusters(overrides: Partial<PlantedClustersOptions> = {}): PlantedClusters {
  const o = { ...DEFAULT_PLANTED, ...overrides };
  const normal = normalSampler(seededRandom(o.seed, 7));
  const coin = seededRandom(o.seed, 8);
  const direction = (): Float64Array => {
    const v = Float64Array.from({ length: o.features }, normal);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const features = Float32Array.from({ length: o.rows * o.features }, normal);
  const project = (row: number, v: Float64Array): number => {
    let s = 0;
    for (let c = 0; c < o.features; c++) s += features[row * o.features + c] * v[c];
    return s;
  };
  const clusterOf: number[] = [];
  const taskNames: string[] = [];
  const columns: Float32Array[] = [];
  for (let c = 0; c < o.clusters; c++) {
    const shared = direction();
    for (let k = 0; k < o.tasksPerCluster; k++) {
      const own = direction();
      const weight = Float64Array.from(
        shared,
        (s, i) => Math.sqrt(1 - o.privateShare) * s + Math.sqrt(o.privateShare) * own[i],
      );
      columns.push(Float32Array.from({ length: o.rows }, (_, r) => label(project(r, weight))));
      clusterOf.push(c);
      taskNames.push(`c${c + 1}_t${k + 1}`);
    }
  }
  for (let k = 0; k < o.noiseTasks; k++) {
    columns.push(
      Float32Array.from({ length: o.rows }, () =>
        o.kind === 'binary' ? (coin() < 0.5 ? 1 : 0) : o.noiseScale * normal(),
      ),
    );
    clusterOf.push(-1);
    taskNames.push(`noise${k + 1}`);
  }

  function label(signal: number): number {
    if (o.kind === 'regression') return signal + o.labelNoise * normal();
    const positive = signal > 0;
    return (coin() < o.labelNoise ? !positive : positive) ? 1 : 0;
  }

  const T = columns.length;
  const targets = new Float32Array(o.rows * T);
  columns.forEach((column, t) => column.forEach((v, r) => (targets[r * T + t] = v)));
  const description = `planted-clusters ${JSON.stringify(o)}`;
  return {
    dataset: {
      source: description,
      sha256: createHash('sha256').update(description).digest('hex'),
      featureNames: Array.from({ length: o.features }, (_, i) => `x${i + 1}`),
      taskNames,
      taskKinds: taskNames.map(() => o.kind),
      rows: o.rows,
      features,
      targets,
    },
    clusterOf,
  };
}
