/**
 * Accuracy and cost of every proxy on planted clusters (no sweep needed: the planted clusters are the truth): ARI of
 * the grouping each proxy implies with the planted clusters, and the rank agreement (Spearman) of its matrix with the
 * planted same-cluster indicator.
 * usage: node dist/bench/proxies-planted.js [--tasks 50,100,174] [--rows 600] [--features 30] [--noise 1] [--proxies linearised,surrogate,...] [--epochs 30] [--backend wasm]
 */
import { execSync } from 'node:child_process';
import { PROXIES, proxyContext, runProxy, selectProxies } from '../src/affinity/proxies/registry.js';
import { spearman } from '../src/affinity/stats.js';
import { holdoutSplit, prepareSplit } from '../src/data/split.js';
import { plantedClusters } from '../src/data/synthetic.js';
import { selectBackend, type BackendName } from '../src/engine/backend.js';
import { DEFAULT_ENGINE } from '../src/options/engine.js';
import { adjustedRandIndex } from '../src/grouping/ari.js';
import { impliedGrouping } from '../src/grouping/impliedGrouping.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string =>
  args.includes(name) ? args[args.indexOf(name) + 1] : fallback;
const taskCounts = flag('--tasks', '50,100,174').split(',').map(Number);
const epochs = Number(flag('--epochs', '30'));
const proxies = selectProxies(flag('--proxies', PROXIES.map((p) => p.id).join(',')));
const backend = await selectBackend(args.includes('--backend') ? (flag('--backend', '') as BackendName) : undefined);
const perCluster = 3;
const rows = Number(flag('--rows', '600'));
const features = Number(flag('--features', '30'));
const labelNoise = Number(flag('--noise', '1'));
const load = (): string =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/^.*load/, 'load');

process.stdout.write(
  `planted clusters of ${perCluster} regression tasks (noise sd ${labelNoise}), ${rows} rows, ${features} features, ${epochs} epochs, backend ${backend}\n`,
);
process.stdout.write('tasks | proxy | seconds | networks | groups | ARI | Spearman vs planted | load\n');
for (const tasks of taskCounts) {
  const { dataset, clusterOf } = plantedClusters({
    rows,
    features,
    clusters: Math.floor(tasks / perCluster),
    tasksPerCluster: perCluster,
    kind: 'regression',
    labelNoise,
    privateShare: 0,
    seed: 1,
  });
  const context = proxyContext(dataset, prepareSplit(dataset, holdoutSplit(dataset.rows, 0)), {
    ...DEFAULT_ENGINE,
    epochs,
  });
  const planted = clusterOf.map((ci) => clusterOf.map((cj) => (ci === cj ? 1 : 0)));
  for (const proxy of proxies) {
    const start = performance.now();
    const estimate = await runProxy(proxy, context);
    const seconds = Math.max((performance.now() - start) / 1000, estimate.sharedSeconds ?? 0);
    const implied = impliedGrouping(estimate.matrix);
    const cells = estimate.matrix.flatMap((row, i) => row.flatMap((v, j) => (i === j ? [] : [[v, planted[i][j]]])));
    const rho = spearman(
      cells.map((c) => c[0]),
      cells.map((c) => c[1]),
    );
    const ari = implied ? adjustedRandIndex(implied.labels, clusterOf) : NaN;
    process.stdout.write(
      `${dataset.taskNames.length} | ${proxy.label} | ${seconds.toFixed(1)} | ${estimate.networksTrained} | ${implied?.groups.length ?? 'n/a'} | ${ari.toFixed(3)} | ${rho.toFixed(3)} | ${load()}\n`,
    );
  }
}
