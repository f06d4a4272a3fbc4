/** All k-subsets of `items` (or of 0..items-1), each in the given order, in lexicographic order of positions. */
export function combinations(items: number | readonly number[], k: number): number[][] {
  const pool = typeof items === 'number' ? Array.from({ length: items }, (_, i) => i) : items;
  const out: number[][] = [];
  const current: number[] = [];
  const extend = (start: number): void => {
    if (current.length === k) {
      out.push([...current]);
      return;
    }
    for (let t = start; t <= pool.length - (k - current.length); t++) {
      current.push(pool[t]);
      extend(t + 1);
      current.pop();
    }
  };
  extend(0);
  return out;
}

/** C(n, k) without enumerating; Infinity once it passes the largest double, so comparisons with a limit stay right. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) c = (c * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(c);
}
