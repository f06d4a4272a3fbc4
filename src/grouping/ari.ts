/**
 * Adjusted Rand index (Hubert & Arabie 1985) of two partitions of the same items, given as label arrays: 1 for the
 * same partition (whatever the label names), about 0 for chance agreement, negative below chance.
 */
export function adjustedRandIndex(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`partitions of ${a.length} and ${b.length} items`);
  const pairs = (n: number): number => (n * (n - 1)) / 2;
  const sumPairs = (keys: Iterable<string | number>): number => {
    const counts = new Map<string | number, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    let s = 0;
    for (const n of counts.values()) s += pairs(n);
    return s;
  };
  const both = sumPairs(a.map((x, i) => `${x}|${b[i]}`));
  const inA = sumPairs(a);
  const inB = sumPairs(b);
  const expected = (inA * inB) / pairs(a.length);
  const max = (inA + inB) / 2;
  // max = expected only when both are all singletons or both one block: the partitions are then identical.
  return max === expected ? 1 : (both - expected) / (max - expected);
}
