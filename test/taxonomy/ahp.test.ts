import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ahp, ahpFromLosses, comparisonMatrix, randomIndex, winShares } from '../../src/taxonomy/ahp.js';

test('a consistent matrix W[i][j] = w_i / w_j has the principal eigenvector w (normalised), λmax = n and CI = 0', () => {
  const w = [8, 4, 2, 1, 0.5];
  const result = ahp(w.map((wi) => w.map((wj) => wi / wj)));
  const total = w.reduce((a, b) => a + b, 0);
  result.weights.forEach((v, i) =>
    assert.ok(Math.abs(v - w[i] / total) < 1e-12, `weight ${i}: ${v} vs ${w[i] / total}`),
  );
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
  // Saaty: CI = (λmax − n) / (n − 1) = (6.2 − 3) / 2, CR = CI / RI(3) = 1.6 / 0.58
  assert.ok(Math.abs(result.consistencyIndex - 1.6) < 1e-9, `CI ${result.consistencyIndex}`);
  assert.ok(Math.abs(result.consistencyRatio - 1.6 / 0.58) < 1e-9, `CR ${result.consistencyRatio}`);
});

test("the random index is Saaty's table up to 15 and Alonso & Lamata's fit beyond; matrices of one or two candidates are consistent by construction", () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(randomIndex),
    [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49],
  );
  assert.equal(randomIndex(15), 1.59);
  assert.ok(
    Math.abs(randomIndex(16) - 1.5978) < 1e-4,
    `RI(16) = ${randomIndex(16)}, Alonso & Lamata 2006 table: 1.5978`,
  );
  const pair = ahp([
    [1, 3],
    [1 / 3, 1],
  ]);
  assert.ok(Math.abs(pair.weights[0] - 0.75) < 1e-12 && Math.abs(pair.weights[1] - 0.25) < 1e-12);
  assert.equal(pair.consistencyRatio, 0, 'RI(2) = 0: no ratio, and no NaN');
  const single = ahp([[1]]);
  assert.deepEqual([single.weights, single.consistencyIndex, single.consistencyRatio], [[1], 0, 0]);
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

test('power iteration reaches the principal eigenvector of an inconsistent matrix to 1e-12 (numpy.linalg.eig as the reference)', () => {
  const result = ahp([
    [1, 3, 5, 9],
    [1 / 3, 1, 2, 4],
    [1 / 5, 1 / 2, 1, 3],
    [1 / 9, 1 / 4, 1 / 3, 1],
  ]);
  // numpy 2 (float64): principal eigenvalue and its eigenvector normalised to sum 1
  const expected = [0.5940761483067973, 0.22218010982691175, 0.129456526255721, 0.0542872156105698];
  result.weights.forEach((w, i) => assert.ok(Math.abs(w - expected[i]) < 1e-12, `weight ${i}: ${w} vs ${expected[i]}`));
  assert.ok(Math.abs(result.lambdaMax - 4.033967794181931) < 1e-12, `λmax ${result.lambdaMax}`);
});

test("a tournament needs every candidate's loss on the same examples; no candidates, no shares", () => {
  assert.throws(() => winShares([[0.1, 0.2], [0.3]]), RangeError);
  assert.deepEqual(winShares([]), []);
});
