/**
 * The clustering-alternative contract, checked for every entry of CLUSTERING_METHODS: every task labelled at each
 * labelling, no more clusters than the budget asked (when it takes budgets), the same labels twice for one seed, and
 * two planted blocks of mutual help recovered. (Louvain finds its own number of communities: one labelling.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLUSTERING_METHODS, type ClusteringMethod } from '../../src/grouping/clusterComparison.js';
import { adjustedRandIndex } from '../../src/grouping/ari.js';

/** Two blocks of 3 tasks that help each other, hurting across. */
const PLANTED = Array.from({ length: 6 }, (_, i) =>
  Array.from({ length: 6 }, (_, j) =>
    i === j ? 0 : Math.floor(i / 3) === Math.floor(j / 3) ? 0.3 + 0.01 * (i + j) : -0.2,
  ),
);
const BLOCKS = [0, 0, 0, 1, 1, 1];

for (const method of Object.keys(CLUSTERING_METHODS) as ClusteringMethod[])
  test(`clustering alternative ${method}: every task labelled, within the budgets, deterministic, planted blocks found`, () => {
    const budgets = [2, 3];
    const labellings = CLUSTERING_METHODS[method](PLANTED, budgets, 1);
    assert.ok(labellings.length >= 1);
    for (const labels of labellings) {
      assert.equal(labels.length, 6);
      assert.ok(labels.every((l) => Number.isInteger(l) && l >= 0));
    }
    // a method that cuts at the budgets gives one labelling per budget, with at most that many clusters
    if (labellings.length === budgets.length)
      labellings.forEach((labels, k) => assert.ok(new Set(labels).size <= budgets[k], `budget ${budgets[k]}`));
    assert.deepEqual(CLUSTERING_METHODS[method](PLANTED, budgets, 1), labellings, 'the same for one seed');
    assert.ok(
      labellings.some((labels) => adjustedRandIndex(labels, BLOCKS) === 1),
      `${method} recovers the two planted blocks at some labelling`,
    );
  });
