import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benjaminiHochberg } from '../../src/affinity/inference.js';

// Cell inference on hand-made replicates: no training, so `npm run mutate` (target inference) runs these in seconds.

test('Benjamini-Hochberg rejects the step-up set', () => {
  // q = 0.055, m = 5: thresholds 0.011, 0.022, 0.033, 0.044, 0.055. Sorted p 0.001, 0.008 pass, 0.039 fails its own
  // threshold, 0.041 passes the fourth: step-up rejects all four smallest.
  assert.deepEqual(benjaminiHochberg([0.041, 0.001, 0.2, 0.039, 0.008, NaN], 0.055), [true, true, false, true, true, false]);
  assert.deepEqual(benjaminiHochberg([0.041, 0.001, 0.2, 0.039, 0.008, NaN], 0.05), [false, true, false, false, true, false]);
  assert.deepEqual(benjaminiHochberg([0.5, 0.9], 0.05), [false, false]);
});
