import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { mean } from '../../src/affinity/stats.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { PROTOCOL_SPLIT } from '../../src/data/split.js';
import { fullTournaments, reportTaxonomy, taxonomyGraph, taxonomyProblem } from '../../src/taxonomy/build.js';
import { selectTaxonomy } from '../../src/taxonomy/bip.js';
import { measureTransfers } from '../../src/taxonomy/measure.js';
import { testBackend } from '../helpers/backend.js';
import { SMALL_ENGINE } from '../helpers/sweep.js';

before(async () => {
  await testBackend();
});

// 3 planted clusters of 2 tasks: a task's frozen trunk carries its cluster's latent direction and little else.
const { dataset, clusterOf } = plantedClusters({
  rows: 300,
  features: 20,
  clusters: 3,
  tasksPerCluster: 2,
  privateShare: 0.1,
  labelNoise: 0.05,
  seed: 3,
});
const T = dataset.taskNames.length;

test('planted clusters: each target transfers best from its cluster mate, and the budgeted taxonomy picks one source per cluster', async () => {
  const measurements = measureTransfers(dataset, {
    engine: SMALL_ENGINE,
    split: PROTOCOL_SPLIT,
    seeds: [0],
    readoutHidden: [16],
    orders: [1, 2],
    beam: 2,
    quiet: true,
  });

  // Per-example losses come from the weights the engine returned; their mean must be the loss the engine reported.
  for (const transfer of measurements.transfers)
    transfer.exampleLoss.forEach((losses, r) =>
      assert.ok(
        Math.abs(mean([...losses]) - transfer.testLoss[r]) < 1e-4 * (1 + transfer.testLoss[r]),
        `${transfer.target}<${transfer.sources}`,
      ),
    );
  assert.equal(measurements.transfers.filter((t) => !t.own && t.sources.length === 1).length, T * (T - 1));

  const { affinity, loss } = measurements.firstOrder;
  for (let t = 0; t < T; t++) {
    const sources = [...Array(T).keys()].filter((s) => s !== t);
    const best = sources.reduce((a, b) => (affinity[t][b] > affinity[t][a] ? b : a));
    assert.equal(
      clusterOf[best],
      clusterOf[t],
      `target ${dataset.taskNames[t]}: best source ${dataset.taskNames[best]}`,
    );
    const mate = sources.find((s) => clusterOf[s] === clusterOf[t]) as number;
    assert.ok(
      sources.every((s) => s === mate || loss[t][mate] < loss[t][s]),
      'the cluster mate has the lowest transfer loss',
    );
    assert.ok(Math.abs(affinity[t].reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.ok(
      measurements.beamSets[t].every((set) => set.includes(mate)),
      'the beam starts from the cluster mate',
    );
  }

  const problem = taxonomyProblem(fullTournaments(T, measurements.transfers));
  const choice = await selectTaxonomy(problem, 3);
  assert.deepEqual(choice.sources.map((s) => clusterOf[s]).sort(), [0, 1, 2], `sources ${choice.sources}`);
  for (const served of choice.served)
    assert.ok(
      served.sources.some((s) => clusterOf[s] === clusterOf[served.target]),
      `task ${served.target} from ${served.sources}`,
    );

  const graph = reportTaxonomy(taxonomyGraph(dataset.taskNames, problem, choice));
  assert.equal(graph.nodes.filter((n) => n.source).length, 3);
  assert.ok(graph.edges.length >= 3 && graph.edges.every((e) => e.score > 0));
});
