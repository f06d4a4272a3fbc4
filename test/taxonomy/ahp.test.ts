import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ahp, ahpFromLosses, comparisonMatrix, winShares } from '../../src/taxonomy/ahp.js';

test('a consistent matrix W[i][j] = w_i / w_j has the principal eigenvector w (normalised), λmax = n and CI = 0', () => {
  const w = [8, 4, 2, 1, 0.5];
  const result = ahp(w.map((wi) => w.map((wj) => wi / wj)));
  const total = w.reduce((a, b) => a + b, 0);
  result.weights.forEach((v, i) => assert.ok(Math.abs(v - w[i] / total) < 1e-12, `weight ${i}: ${v} vs ${w[i] / total}`));
  assert.ok(Math.abs(result.lambdaMax - w.length) < 1e-10);
  assert.ok(result.consistencyIndex < 1e-10 && result.consistencyRatio < 1e-10);
});

test('a cyclic preference (a > b > c > a) is inconsistent: CI is well above 0', () => {
  const r = 5;
  const result = ahp([
    [1, r, 1 / r],
    [1 / r, 1, r],
    [r, 1 / r, 1],
  ]);
  result.weights.forEach((v) => assert.ok(Math.abs(v - 1 / 3) < 1e-9, 'symmetric cycle: equal weights'));
  // λmax = 1 + r + 1/r for this circulant matrix
  assert.ok(Math.abs(result.lambdaMax - (1 + r + 1 / r)) < 1e-9);
  assert.ok(result.consistencyRatio > 1);
});

test('the tournament counts per-example wins (ties half) and clips shares before taking ratios, as Taskonomy does', () => {
  const losses = [
    [0.1, 0.1, 0.1, 0.1],
    [0.2, 0.2, 0.05, 0.1],
    [0.3, 0.3, 0.3, 0.3],
  ];
  const shares = winShares(losses);
  assert.deepEqual(shares[0], [0.5, 0.625, 1]);
  assert.deepEqual(shares[1], [0.375, 0.5, 1]);
  assert.deepEqual(shares[2], [0, 0, 0.5]);
  const ratios = comparisonMatrix(shares);
  assert.ok(Math.abs(ratios[0][2] - 0.999 / 0.001) < 1e-9, 'an always-winner is 999 times better, not infinitely');
  assert.ok(Math.abs(ratios[0][1] - 0.625 / 0.375) < 1e-12);
  ratios.forEach((row, a) => row.forEach((v, b) => assert.ok(Math.abs(v * ratios[b][a] - 1) < 1e-12, 'reciprocal')));
  const { weights } = ahpFromLosses(losses);
  assert.ok(weights[0] > weights[1] && weights[1] > weights[2]);
  assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});
