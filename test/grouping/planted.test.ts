import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/data/random.js';
import { adjustedRandIndex } from '../../src/grouping/ari.js';
import { auxiliaryEvidence, rankAuxiliaryTasks } from '../../src/grouping/auxiliary.js';
import { agglomerativeClusters, louvainClusters, partitionLoss } from '../../src/grouping/cluster.js';
import { completeLossTable } from '../../src/grouping/higherOrder.js';
import { pairGainMatrix } from '../../src/grouping/pairGain.js';
import { symmetrise } from '../../src/math/matrix.js';
import { selectNetworks } from '../../src/grouping/select.js';
import { heuristicSelect } from '../../src/grouping/selectHeuristic.js';
import { selectionProblem } from '../../src/grouping/selection.js';
import { meanLossTable } from '../../src/grouping/replicated.js';
import { plantedLabels, plantedSeedTable } from './helpers.js';

// 3 planted clusters of 3 tasks, 5 seeds: pairs within a cluster help (~−20% loss), pairs across hurt (~+15%).
const planted = plantedLabels(3, 3);
const random = seededRandom(42);
const seeds = Array.from({ length: 5 }, () => plantedSeedTable(planted, random));
const table = meanLossTable(seeds);
const gain = symmetrise(pairGainMatrix(table));

test('exact selection at B = 3 over all groups up to 4 tasks recovers the planted clusters', async () => {
  const problem = selectionProblem(completeLossTable(table, 4));
  const selection = await selectNetworks(problem, 3);
  assert.equal(selection.method, 'partition');
  assert.equal(selection.status, 'optimal');
  assert.ok(
    adjustedRandIndex(selection.assignment, planted) >= 0.95,
    `ARI ${adjustedRandIndex(selection.assignment, planted)}`,
  );
  // the clustering scored as networks costs exactly what the selection found
  assert.ok(Math.abs(partitionLoss(table, planted).totalLoss - selection.totalLoss) < 1e-9);
  assert.ok(heuristicSelect(problem, 3).totalLoss >= selection.totalLoss - 1e-9);
});

test('Louvain on the symmetric gain matrix recovers the planted clusters, deterministically', () => {
  const labels = louvainClusters(gain, { seed: 3 });
  assert.ok(adjustedRandIndex(labels, planted) >= 0.95, `ARI ${adjustedRandIndex(labels, planted)}`);
  assert.deepEqual(louvainClusters(gain, { seed: 3 }), labels);
});

test('agglomerative clustering cut at 3 recovers the planted clusters; cut at 9 and 1 are the trivial partitions', () => {
  assert.ok(adjustedRandIndex(agglomerativeClusters(gain, 3), planted) >= 0.95);
  assert.deepEqual(agglomerativeClusters(gain, 9), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(agglomerativeClusters(gain, 1), new Array(9).fill(0));
});

test('a clustering is scored from measured pairs and approximated larger groups', () => {
  const score = partitionLoss(table, planted);
  assert.equal(score.networks.length, 3);
  assert.ok(score.networks.every((n) => n.estimated && n.group.length === 3));
  const singles = table.entries.filter((e) => e.group.length === 1).reduce((s, e) => s + e.loss[0], 0);
  assert.ok(score.totalLoss < 0.9 * singles, 'planted groups should beat single-task networks');
  assert.ok(
    partitionLoss(table, [0, 1, 2, 0, 1, 2, 0, 1, 2]).totalLoss > singles,
    'groups across clusters should lose',
  );
  const pairs = partitionLoss(table, [0, 0, 1, 2, 2, 3, 4, 4, 5]);
  assert.ok(
    pairs.networks.every((n) => !n.estimated),
    'pairs and singles are measured',
  );
});

test('auxiliary ranking for task 0 puts its cluster mates first as helping and the rest as hurting', () => {
  const ranking = rankAuxiliaryTasks(auxiliaryEvidence(0, seeds), 0.95, 0.05);
  assert.deepEqual(
    ranking
      .slice(0, 2)
      .map((r) => r.task)
      .sort(),
    [1, 2],
  );
  assert.ok(ranking.slice(0, 2).every((r) => r.verdict === 'helps' && r.n === 5));
  assert.ok(ranking.slice(2).every((r) => r.verdict === 'hurts'));
  assert.equal(ranking.length, 8);
});
