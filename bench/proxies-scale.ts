/**
 * Proxies at scale: the wall time of the one-run proxies (TAG lookahead + gradient cosine) on a 174-task planted-cluster
 * data set, where a full pairwise sweep would train 15,225 networks per replication.
 * usage: node dist/bench/proxies-scale.js [--tasks 174] [--epochs 30] [--backend wasm]
 */
import { oneRunProxies } from '../src/affinity/proxies/lookahead.js';
import { ALL_TASK_RUN_OPTIONS } from '../src/affinity/proxies/registry.js';
import { groupSchema } from '../src/options/option.js';
import { mean } from '../src/affinity/stats.js';
import { holdoutSplit, prepareSplit } from '../src/data/split.js';
import { plantedClusters } from '../src/data/synthetic.js';
import { selectBackend, type BackendName } from '../src/engine/backend.js';
import { DEFAULT_ENGINE } from '../src/options/engine.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string =>
  args.includes(name) ? args[args.indexOf(name) + 1] : fallback;
const tasks = Number(flag('--tasks', '174'));
const epochs = Number(flag('--epochs', '30'));
const backend = await selectBackend(args.includes('--backend') ? (flag('--backend', '') as BackendName) : undefined);
const perCluster = 3;
const { dataset, clusterOf } = plantedClusters({
  rows: 2000,
  features: 50,
  clusters: Math.floor(tasks / perCluster),
  tasksPerCluster: perCluster,
  seed: 1,
});
const data = prepareSplit(dataset, holdoutSplit(dataset.rows, 0));
const start = performance.now();
const { every, lookaheadStep } = groupSchema(ALL_TASK_RUN_OPTIONS).parse({});
const proxies = oneRunProxies(data, dataset.taskKinds, { ...DEFAULT_ENGINE, epochs }, 0, every, lookaheadStep);
const seconds = (performance.now() - start) / 1000;
const within: number[] = [];
const across: number[] = [];
clusterOf.forEach((ci, i) =>
  clusterOf.forEach((cj, j) => i !== j && (ci === cj ? within : across).push(proxies.gradientCosine[i][j])),
);
process.stdout.write(
  `${dataset.taskNames.length} tasks, 2000 rows, ${epochs} epochs, backend ${backend}: one-run proxies in ${seconds.toFixed(1)} s ` +
    `(${proxies.probes} probes kept, best epoch ${proxies.bestEpoch}); gradient cosine within clusters ${mean(within).toFixed(3)} vs across ${mean(across).toFixed(3)}\n`,
);
