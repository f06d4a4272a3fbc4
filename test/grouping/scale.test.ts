import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agnes } from 'ml-hclust';
import { seededRandom } from '../../src/data/random.js';
import { averageLinkageTree, type TreeNode } from '../../src/math/agglomerate.js';

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
