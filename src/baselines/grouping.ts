import type { Matrix } from 'ml-matrix';

/**
 * Average-linkage agglomerative clustering of a similarity matrix into k groups: repeatedly merges the two groups
 * with the highest mean pairwise similarity. Returns the groups as sorted task indices, ordered by first member.
 */
export function groupsFromSimilarity(similarity: Matrix, k: number): number[][] {
  let groups = Array.from({ length: similarity.rows }, (_, t) => [t]);
  const linkage = (a: number[], b: number[]): number => {
    let sum = 0;
    for (const s of a) for (const t of b) sum += (similarity.get(s, t) + similarity.get(t, s)) / 2;
    return sum / (a.length * b.length);
  };
  while (groups.length > Math.max(k, 1)) {
    let best = { i: 0, j: 1, value: -Infinity };
    for (let i = 0; i < groups.length; i++)
      for (let j = i + 1; j < groups.length; j++) {
        const value = linkage(groups[i], groups[j]);
        if (value > best.value) best = { i, j, value };
      }
    const merged = [...groups[best.i], ...groups[best.j]].sort((a, b) => a - b);
    groups = [...groups.filter((_, g) => g !== best.i && g !== best.j), merged];
  }
  return groups.sort((a, b) => a[0] - b[0]);
}

/** Group label of every item, from a list of groups. */
export function labelsOf(groups: number[][], items: number): number[] {
  const labels = new Array<number>(items).fill(-1);
  groups.forEach((g, c) => g.forEach((t) => (labels[t] = c)));
  return labels;
}

/** Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same items: 1 identical, about 0 by chance. */
export function adjustedRandIndex(a: number[], b: number[]): number {
  if (a.length !== b.length) throw new RangeError('labelings of different lengths');
  const pairs = (n: number): number => (n * (n - 1)) / 2;
  const count = (keys: string[]): number[] => [...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>()).values()];
  const sumPairs = (counts: number[]): number => counts.reduce((s, n) => s + pairs(n), 0);
  const joint = sumPairs(count(a.map((x, i) => `${x}|${b[i]}`)));
  const rowsA = sumPairs(count(a.map(String)));
  const rowsB = sumPairs(count(b.map(String)));
  const expected = (rowsA * rowsB) / pairs(a.length);
  const maximum = (rowsA + rowsB) / 2;
  return maximum === expected ? 1 : (joint - expected) / (maximum - expected);
}
