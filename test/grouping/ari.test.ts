import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adjustedRandIndex } from '../../src/grouping/ari.js';

test('identical partitions score 1, whatever the label names', () => {
  assert.equal(adjustedRandIndex([0, 0, 1, 1, 2], [0, 0, 1, 1, 2]), 1);
  assert.equal(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, 3, 3, 9]), 1);
  assert.equal(adjustedRandIndex([0, 1, 2], [2, 1, 0]), 1);
  assert.equal(adjustedRandIndex([4, 4, 4], [1, 1, 1]), 1);
});

test('known small values (as in scikit-learn)', () => {
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]) - 4 / 7) < 1e-12);
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) - -0.5) < 1e-12);
  assert.equal(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3]), 0);
});

test('partitions of different lengths are refused', () => {
  assert.throws(() => adjustedRandIndex([0, 1], [0, 1, 2]), RangeError);
});
