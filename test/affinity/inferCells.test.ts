import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benjaminiHochberg, fdrVerdicts, inferCells } from '../../src/affinity/inference.js';
import { SEED_LEVEL, tTestPValue } from '../../src/affinity/stats.js';
import type { Replicate } from '../../src/affinity/gain.js';

// Cell inference on hand-made replicates: no training, so `npm run mutate` (target inference) runs these in seconds.

test('Benjamini-Hochberg rejects the step-up set', () => {
  // q = 0.055, m = 5: thresholds 0.011, 0.022, 0.033, 0.044, 0.055. Sorted p 0.001, 0.008 pass, 0.039 fails its own
  // threshold, 0.041 passes the fourth: step-up rejects all four smallest.
  assert.deepEqual(benjaminiHochberg([0.041, 0.001, 0.2, 0.039, 0.008, NaN], 0.055), [
    true,
    true,
    false,
    true,
    true,
    false,
  ]);
  assert.deepEqual(benjaminiHochberg([0.041, 0.001, 0.2, 0.039, 0.008, NaN], 0.05), [
    false,
    true,
    false,
    false,
    true,
    false,
  ]);
  assert.deepEqual(benjaminiHochberg([0.5, 0.9], 0.05), [false, false]);
});

test('a rejection at exactly its step-up threshold counts, and NaN p-values never reject', () => {
  assert.deepEqual(benjaminiHochberg([0.05], 0.05), [true]);
  assert.deepEqual(
    benjaminiHochberg([0.1, 0.05], 0.05),
    [false, false],
    'the second smallest p must be at most q/2 to pass alone',
  );
  assert.deepEqual(benjaminiHochberg([0.025, NaN], 0.05), [true, false], 'NaN is not one of the m hypotheses: m = 1');
});

/** Three tasks, seeds 0-2 with two folds each; single losses 1, so a pair loss 1 - d is a difference d. */
function replicatesWith(difference: (seed: number, fold: number, i: number, j: number) => number): Replicate[] {
  return [0, 1, 2].flatMap((seed) =>
    [0, 1].map((fold) => ({
      replication: `s${seed}f${fold}`,
      single: [1, 1, 1],
      pair: [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? NaN : 1 - difference(seed, fold, i, j)))),
    })),
  );
}

// 1 helps 0 by about 0.5 in every seed, 0 hurts 1 by about 0.3; the other cells change sign from seed to seed.
const planted = (seed: number, fold: number, i: number, j: number): number => {
  const foldNoise = fold === 0 ? -0.1 : 0.1; // cancels within a seed: the seed mean is what is tested
  if (i === 0 && j === 1) return 0.5 + 0.01 * seed + foldNoise;
  if (i === 1 && j === 0) return -0.3 - 0.01 * seed + foldNoise;
  return [0.2, -0.25, 0.05][seed] * (i + 1) + foldNoise;
};

test('cell inference: folds averaged per seed, a paired t-test over seeds, verdicts by sign where discovered', () => {
  const replicates = replicatesWith(planted);
  const inference = inferCells(replicates, 0.05);
  assert.ok(Math.abs(inference.meanDifference[0][1] - 0.51) < 1e-12, 'mean of the seed means 0.50, 0.51, 0.52');
  assert.ok(Math.abs(inference.meanDifference[1][0] + 0.31) < 1e-12);
  assert.ok(
    Math.abs(inference.pValue[0][1] - tTestPValue([0.5, 0.51, 0.52])) < 1e-12,
    'df = seeds - 1 = 2: the folds are averaged first',
  );
  assert.ok(Math.abs(inference.pValue[2][0] - tTestPValue([0.6, -0.75, 0.15])) < 1e-12);
  assert.equal(inference.verdict[0][1], 'helps');
  assert.equal(inference.verdict[1][0], 'hurts');
  for (const [i, j] of [
    [0, 2],
    [1, 2],
    [2, 0],
    [2, 1],
  ])
    assert.equal(inference.verdict[i][j], 'no evidence', `cell ${i},${j}`);
  [0, 1, 2].forEach((i) => {
    assert.equal(inference.verdict[i][i], null);
    assert.equal(inference.meanDifference[i][i], 0);
    assert.ok(Number.isNaN(inference.pValue[i][i]));
  });
  assert.deepEqual(inference.counts, { helps: 1, hurts: 1, 'no evidence': 4 });
  assert.equal(inference.fdr, 0.05);
  assert.equal(
    inference.method,
    `paired t-test of L_i({i}) - L_i({i,j}) over 3 seeds (6 replications; ${SEED_LEVEL}); Benjamini-Hochberg at FDR 0.05 over 6 cells`,
  );
  const strict = inferCells(replicates, 1e-9);
  assert.deepEqual(
    strict.counts,
    { helps: 0, hurts: 0, 'no evidence': 6 },
    'a lower false-discovery rate declares less',
  );
  assert.match(strict.method, /at FDR 1e-9 over 6 cells/);
});

test("with null controls, a real task's difference is taken relative to its null partners in the same replication", () => {
  // Task 2 is a null control (of task 0). Every partner costs task 0 and task 1 0.2 plus its own effect.
  const shifted = (seed: number, fold: number, i: number, j: number): number =>
    i < 2 ? planted(seed, fold, i, j) - 0.2 : planted(seed, fold, i, j);
  const replicates = replicatesWith(shifted);
  const relative = inferCells(replicates, 0.05, [-1, -1, 0]);
  const raw = inferCells(replicates, 0.05);
  // difference(0, 1) = d01 - d02 per replication, then per seed
  const seedMean = (seed: number, i: number, j: number) =>
    (shifted(seed, 0, i, j) - shifted(seed, 0, i, 2) + shifted(seed, 1, i, j) - shifted(seed, 1, i, 2)) / 2;
  assert.ok(
    Math.abs(relative.meanDifference[0][1] - (seedMean(0, 0, 1) + seedMean(1, 0, 1) + seedMean(2, 0, 1)) / 3) < 1e-12,
  );
  assert.ok(Math.abs(relative.pValue[1][0] - tTestPValue([0, 1, 2].map((s) => seedMean(s, 1, 0)))) < 1e-12);
  assert.equal(relative.meanDifference[0][2], 0, 'the null partner relative to itself');
  assert.equal(relative.meanDifference[2][0], raw.meanDifference[2][0], 'the control itself is not shifted');
  assert.ok(Math.abs(raw.meanDifference[0][1] - 0.31) < 1e-12, 'without controls the shared cost stays in');
  assert.match(relative.method, /, relative to the same replication's mean null-partner difference;/);
  assert.doesNotMatch(raw.method, /null-partner/);
  assert.deepEqual(
    inferCells(replicates, 0.05, [-1, -1, -1]).meanDifference,
    raw.meanDifference,
    'no control: nothing subtracted',
  );
  const twoControls = inferCells(replicates, 0.05, [-1, 0, 0]);
  assert.equal(
    twoControls.meanDifference[1][0],
    raw.meanDifference[1][0],
    'a control is never taken relative to another control',
  );
  assert.equal(twoControls.meanDifference[2][1], raw.meanDifference[2][1]);
});

test('fdr verdicts: discovered effects by sign, the rest no evidence', () => {
  assert.deepEqual(fdrVerdicts([0.3, -0.2, 0.5], [0.001, 0.002, 0.9], 0.05), ['helps', 'hurts', 'no evidence']);
});
