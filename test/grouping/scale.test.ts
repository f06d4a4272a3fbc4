import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agnes } from '../../src/vendor/hclust.js';
import { kendall, kendallByPairs } from '../../src/affinity/stats.js';
import { seededRandom } from '../../src/data/random.js';
import { averageLinkageTree, type TreeNode } from '../../src/math/agglomerate.js';
import { heldOutValidationTotals, replicatedBudgetCurve, servingOf } from '../../src/grouping/curve.js';
import { SelectionMemo } from '../../src/grouping/selectionMemo.js';
import { bootstrapStability } from '../../src/grouping/stability.js';
import { meanLossTable } from '../../src/grouping/replicated.js';
import { plantedLabels, plantedSeedTable } from './helpers.js';

/** A tree written out: leaves by task, merges with their height, children in their order. */
const spelled = (node: TreeNode): string =>
  node.isLeaf ? String(node.index) : `(${node.children.map(spelled).join(',')}@${node.height})`;

test('the O(T²) average linkage merges exactly as ml-hclust agnes does, ties and their order included', () => {
  const random = seededRandom(3, 1);
  for (const [size, digits] of [
    [2, 1],
    [7, 1],
    [40, 1],
    [40, 2],
    [90, 15],
  ]) {
    // one decimal: hundreds of exactly tied cells, where the order of the scan decides
    const distance = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    for (let i = 0; i < size; i++)
      for (let j = 0; j < i; j++) distance[i][j] = distance[j][i] = Number((2 * random() - 1).toFixed(digits));
    const expected = agnes(distance, { method: 'average', isDistanceMatrix: true }) as unknown as TreeNode;
    assert.equal(spelled(averageLinkageTree(distance)), spelled(expected), `${size} tasks, ${digits} digits`);
  }
});

test('a curve, its held-out seeds and the bootstrap on two seeds select once per table and budget, with the same answers', async () => {
  const labels = plantedLabels(4, 5);
  const random = seededRandom(5, 2);
  const validation = [plantedSeedTable(labels, random, 0.3), plantedSeedTable(labels, random, 0.3)];
  const test = [plantedSeedTable(labels, random, 0.3), plantedSeedTable(labels, random, 0.3)];
  const budgets = [1, 2, 4, 6];
  const base = { budgets, maxGroupSize: 2, method: 'heuristic' as const, level: 0.95 };
  const memo = new SelectionMemo(base);
  const curve = await replicatedBudgetCurve(validation, test, { ...base, memo });
  const heldOut = await heldOutValidationTotals(validation, { ...base, memo });
  // three tables (both seeds, each seed alone), each selected at every budget once
  assert.equal(memo.made, 3 * budgets.length);
  const chosen = curve[2];
  const draws = { maxGroupSize: 2, method: 'heuristic' as const, draws: 30 };
  const stability = await bootstrapStability(validation, servingOf(chosen.selection), chosen.budget, {
    ...draws,
    random: seededRandom(0, 11),
    memo,
  });
  // every resample of two seeds is one of those tables: the mean of a seed with itself is that seed's table; the
  // bootstrap asked for each distinct resample (of 4) once, and found it
  assert.equal(memo.made, 3 * budgets.length);
  assert.equal(memo.asked, 3 * budgets.length + 4);
  const fresh = await bootstrapStability(validation, servingOf(chosen.selection), chosen.budget, {
    ...draws,
    random: seededRandom(0, 11),
  });
  assert.deepEqual(stability, fresh);
  assert.ok(stability.sameGrouping > 0 && stability.sameGrouping < 1, 'resamples that differ, so the test can tell');
  // and the memo's answers are those made without it
  assert.deepEqual(
    await replicatedBudgetCurve(validation, test, base).then((c) => c.map((p) => p.selection)),
    curve.map((p) => p.selection),
  );
  assert.deepEqual(await heldOutValidationTotals(validation, base), heldOut);
  assert.deepEqual(meanLossTable([validation[0]]), validation[0]);
});

test("Kendall's tau-b counted in O(n log n) is the pair-by-pair count, to the last bit, ties in either or both included", () => {
  const random = seededRandom(4, 1);
  for (const size of [0, 2, 3, 9, 60, 400])
    for (const digits of [0, 1, 15]) {
      const a = Array.from({ length: size }, () => Number((4 * random() - 2).toFixed(digits)));
      const b = Array.from({ length: size }, () => Number((4 * random() - 2).toFixed(digits)));
      for (const [x, y] of [
        [a, b],
        [a, a],
        [a, a.map((v) => -v)],
        [a, b.map(() => 1)],
        [
          [...a, Number.NaN],
          [...b, 0],
        ],
      ])
        assert.ok(Object.is(kendall(x, y), kendallByPairs(x, y)), `${size} values, ${digits} digits`);
    }
});
