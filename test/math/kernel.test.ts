import assert from 'node:assert/strict';
import test from 'node:test';
import { kendall, spearman } from '../../src/affinity/stats.js';
import { seededRandom, type Random } from '../../src/data/random.js';
import { binomial, combinations } from '../../src/math/combinations.js';
import { averageLinkage, nodeMembers } from '../../src/math/linkage.js';
import { assertSymmetric, symmetrise } from '../../src/math/matrix.js';

const mean = (s: number[][], a: number[], b: number[]): number => {
  let sum = 0;
  for (const i of a) for (const j of b) sum += s[i][j];
  return sum / (a.length * b.length);
};

/** Textbook UPGMA: at every step merge the pair of clusters with the highest mean pairwise similarity. */
function bruteForce(s: number[][]): { members: string; similarity: number }[] {
  let clusters = s.map((_, i) => [i]);
  const out: { members: string; similarity: number }[] = [];
  while (clusters.length > 1) {
    let best = { a: 0, b: 1, v: -Infinity };
    for (let a = 0; a < clusters.length; a++)
      for (let b = a + 1; b < clusters.length; b++) {
        const v = mean(s, clusters[a], clusters[b]);
        if (v > best.v) best = { a, b, v };
      }
    const merged = [...clusters[best.a], ...clusters[best.b]].sort((x, y) => x - y);
    out.push({ members: merged.join(','), similarity: best.v });
    clusters = [...clusters.filter((_, k) => k !== best.a && k !== best.b), merged];
  }
  return out;
}

function randomSimilarity(random: Random, n: number, levels?: number): number[][] {
  const s = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      s[i][j] = s[j][i] = levels ? Math.floor(random() * levels) / (levels - 1) : random() * 2 - 1;
  return s;
}

test('average linkage equals a brute-force UPGMA on random matrices', () => {
  const random = seededRandom(23);
  for (let trial = 0; trial < 200; trial++) {
    const s = randomSimilarity(random, 2 + Math.floor(random() * 12));
    const { merges, order } = averageLinkage(s);
    const expected = bruteForce(s);
    assert.deepEqual(
      merges.map((m) => m.members.join(',')),
      expected.map((m) => m.members),
    );
    merges.forEach((m, k) =>
      assert.ok(Math.abs(m.similarity - expected[k].similarity) < 1e-12, `trial ${trial} merge ${k}`),
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      s.map((_, i) => i),
    );
  }
});

test('with exact ties every merge is one a brute-force UPGMA could make, and ids follow scipy', () => {
  const random = seededRandom(5);
  for (let trial = 0; trial < 300; trial++) {
    const s = randomSimilarity(random, 3 + Math.floor(random() * 10), 3); // cells in {0, 0.5, 1}: many ties
    const linkage = averageLinkage(s);
    const n = s.length;
    let clusters = s.map((_, i) => [i]);
    linkage.merges.forEach((m, k) => {
      const left = nodeMembers(linkage, m.left);
      const right = nodeMembers(linkage, m.right);
      // both sides are current clusters, the merge reaches the best mean available at this step
      for (const side of [left, right])
        assert.ok(
          clusters.some((c) => c.join(',') === side.join(',')),
          `trial ${trial}: ${side} is not a cluster at merge ${k}`,
        );
      let best = -Infinity;
      for (let a = 0; a < clusters.length; a++)
        for (let b = a + 1; b < clusters.length; b++) best = Math.max(best, mean(s, clusters[a], clusters[b]));
      assert.equal(m.similarity, best, `trial ${trial} merge ${k}`);
      assert.ok(left[0] < right[0], 'left holds the lower first task');
      assert.ok(m.left < n + k && m.right < n + k, 'a merge refers only to earlier nodes');
      clusters = [
        ...clusters.filter((c) => c.join(',') !== left.join(',') && c.join(',') !== right.join(',')),
        m.members,
      ];
    });
    assert.equal(clusters.length, 1);
  }
});

test('average linkage rejects what it cannot cluster and handles one or two tasks', () => {
  assert.throws(
    () =>
      averageLinkage([
        [0, 1],
        [0.5, 0],
      ]),
    /not symmetric at \(0, 1\)/,
  );
  assert.throws(
    () =>
      averageLinkage([
        [0, NaN],
        [NaN, 0],
      ]),
    /affinity\[0\]\[1\] is not finite/,
  );
  assert.deepEqual(averageLinkage([[0]]), { taskCount: 1, merges: [], order: [0] });
  assert.deepEqual(
    averageLinkage([
      [0, 0.3],
      [0.3, 0],
    ]).merges,
    [{ left: 0, right: 1, members: [0, 1], similarity: 0.3 }],
  );
});

test('symmetrise averages the two directions and leaves a symmetric matrix as it is', () => {
  const m = [
    [0, 0.2, -0.4],
    [0.1, 0, 0.3],
    [0.4, 0.5, 0],
  ];
  const s = symmetrise(m);
  assert.deepEqual(s[0][1], (0.2 + 0.1) / 2);
  assert.deepEqual(s[2][0], 0);
  assertSymmetric(s);
  assert.deepEqual(symmetrise(s), s);
  assert.throws(() => assertSymmetric(m, 'gain'), /gain is not symmetric at \(0, 1\)/);
});

test('combinations enumerate every k-subset once, in lexicographic order, and binomial counts them', () => {
  for (let n = 0; n <= 8; n++)
    for (let k = 0; k <= n; k++) {
      const all = combinations(n, k);
      assert.equal(all.length, binomial(n, k), `C(${n}, ${k})`);
      assert.equal(new Set(all.map((c) => c.join(','))).size, all.length);
      const sorted = [...all].sort((a, b) => a.join(',').localeCompare(b.join(','), 'en', { numeric: true }));
      assert.deepEqual(all, sorted);
    }
  assert.deepEqual(combinations([7, 3, 5], 2), [
    [7, 3],
    [7, 5],
    [3, 5],
  ]);
  assert.equal(binomial(50, 25), 126410606437752);
  assert.equal(binomial(5, 7), 0);
  assert.equal(binomial(5000, 2500), Infinity);
});

test('rank correlations reproduce the values scipy documents', () => {
  // scipy.stats.kendalltau docs: x1 = [12, 2, 1, 12, 2], x2 = [1, 4, 7, 1, 0] -> tau-b -0.47140452079103173
  assert.ok(Math.abs(kendall([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) + 0.47140452079103173) < 1e-15);
  // scipy.stats.spearmanr docs: [1, 2, 3, 4, 5] vs [5, 6, 7, 8, 7] -> 0.8207826816681233 (mid-ranks for the tie)
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) - 0.8207826816681233) < 1e-15);
  // a perfect monotone relation is exactly 1, never 1.0000000000000002
  assert.equal(spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1);
});
