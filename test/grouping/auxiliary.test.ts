import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auxiliaryEvidence, rankAuxiliaryTasks } from '../../src/grouping/auxiliary.js';
import type { LossTable } from '../../src/grouping/lossTable.js';

test('gains straddling 0, or a single replication, are no evidence', () => {
  const ranking = rankAuxiliaryTasks(
    [
      { task: 1, gains: [0.1, -0.1, 0.05, -0.05] },
      { task: 2, gains: [0.3] },
      { task: 3, gains: [0.2, 0.21, 0.19] },
      { task: 4, gains: [-0.2, -0.22, -0.19] },
      { task: 5, gains: [] },
    ],
    0.95,
    0.05,
  );
  assert.deepEqual(
    ranking.map((r) => [r.task, r.verdict]),
    [
      [2, 'no evidence'],
      [3, 'helps'],
      [1, 'no evidence'],
      [4, 'hurts'],
      [5, 'no evidence'],
    ],
  );
  const straddle = ranking.find((r) => r.task === 1)!;
  assert.ok(straddle.low < 0 && straddle.high > 0);
  assert.ok(Number.isNaN(ranking.find((r) => r.task === 2)!.low));
});

test('the t interval has the textbook half-width', () => {
  const [r] = rankAuxiliaryTasks([{ task: 1, gains: [0.1, 0.2, 0.3] }], 0.95, 0.05);
  // sd = 0.1, n = 3, t(0.975, 2) = 4.302652729911275
  const half = (4.302652729911275 * 0.1) / Math.sqrt(3);
  assert.ok(Math.abs(r.mean - 0.2) < 1e-12);
  assert.ok(Math.abs(r.low - (0.2 - half)) < 1e-9 && Math.abs(r.high - (0.2 + half)) < 1e-9);
});

test('gains are paired by seed from per-seed loss tables, skipping seeds without the pair', () => {
  const seed = (single: number, pair: number | undefined): LossTable => ({
    taskNames: ['m', 'a'],
    entries: [
      { group: [0], loss: [single] },
      { group: [1], loss: [1] },
      ...(pair === undefined ? [] : [{ group: [0, 1], loss: [pair, 1] }]),
    ],
  });
  const [evidence] = auxiliaryEvidence(0, [seed(2, 1.5), seed(4, 3.6), seed(1, undefined)]);
  assert.equal(evidence.task, 1);
  assert.deepEqual(
    evidence.gains.map((g) => Math.round(g * 1e12) / 1e12),
    [0.25, 0.1],
  );
});
