import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cheaperRoutes, PROXIES, selectProxies } from '../../src/affinity/proxies/registry.js';
import { CLUSTERING_METHODS, type ClusteringMethod } from '../../src/grouping/clusterComparison.js';
import {
  methodChoices,
  methodLabel,
  selectNetworks,
  SELECTION_METHODS,
  type SelectionMethod,
} from '../../src/grouping/select.js';
import { selectionProblem } from '../../src/grouping/selection.js';
import { randomLossTable } from './helpers.js';

test('every selection method in the table is dispatched to and stamps its own name', async () => {
  const problem = selectionProblem(randomLossTable(4, 3));
  for (const method of Object.keys(SELECTION_METHODS) as SelectionMethod[]) {
    const selection = await selectNetworks(problem, 2, { method });
    assert.equal(selection.method, method);
    assert.equal(methodLabel(selection), SELECTION_METHODS[method].label);
  }
  assert.equal(
    (await selectNetworks(problem, 2)).method,
    'partition',
    'auto takes the exact partition search for unit-cost networks',
  );
  const priced = selectionProblem(randomLossTable(4, 3), (e) => (e.group.length === 1 ? 0.5 : 1));
  assert.equal(
    (await selectNetworks(priced, 2, { maxIlpCandidates: 1 })).method,
    'heuristic',
    'auto falls back to the heuristic past maxIlpCandidates',
  );
  assert.equal(
    methodLabel({ method: 'ilp', status: 'feasible' }),
    'ILP stopped at its time limit (best found, not proven optimal)',
  );
});

test('the --method choices come from the table; tra import offers only exact methods', () => {
  assert.deepEqual(methodChoices(), ['auto', ...Object.keys(SELECTION_METHODS)]);
  assert.deepEqual(methodChoices(true), ['auto', 'partition', 'ilp', 'brute-force']);
});

test('every clustering alternative labels every task, at each budget average linkage is asked for', () => {
  const affinity = [
    [0, 0.3, -0.1, -0.2],
    [0.3, 0, -0.2, -0.1],
    [-0.1, -0.2, 0, 0.4],
    [-0.2, -0.1, 0.4, 0],
  ];
  for (const method of Object.keys(CLUSTERING_METHODS) as ClusteringMethod[]) {
    const labellings = CLUSTERING_METHODS[method](affinity, [1, 2, 3], 1);
    assert.ok(labellings.length >= 1, method);
    for (const labels of labellings) assert.equal(labels.length, 4, method);
  }
  assert.deepEqual(CLUSTERING_METHODS['average linkage'](affinity, [2]), [[0, 0, 1, 1]]);
});

test("the planner's cheaper routes are registered proxies that --proxies accepts", () => {
  const routes = cheaperRoutes();
  assert.ok(routes.length >= 1);
  const ids = routes.map((r) => /--proxies (\S+)$/.exec(r.route)?.[1] as string);
  assert.deepEqual(
    selectProxies(ids.join(',')).map((p) => p.id),
    ids,
  );
  assert.equal(routes.length, PROXIES.filter((p) => p.atScale).length);
  // their error is measured (tra proxies --truth, npm run bench:estimators), never a figure pasted into the code
  for (const r of routes) assert.doesNotMatch(r.cost, /Spearman|Kendall|ARI|regret|\d s\b/, r.route);
});
