/** (m[i][j] + m[j][i]) / 2: the undirected version of a directed matrix, which clustering and group scores need. */
export const symmetrise = (m: readonly (readonly number[])[]): number[][] =>
  m.map((row, i) => row.map((v, j) => (v + m[j][i]) / 2));

/** Throws unless `m` is a square, finite, symmetric matrix (up to rounding): what clustering a similarity needs. */
export function assertSymmetric(m: readonly (readonly number[])[], what = 'affinity'): void {
  const n = m.length;
  m.forEach((row, i) => {
    if (row.length !== n) throw new RangeError(`${what} row ${i} has ${row.length} entries, expected ${n}`);
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new RangeError(`${what}[${i}][${j}] is not finite`);
      if (Math.abs(v - m[j][i]) > 1e-9 * Math.max(1, Math.abs(v)))
        throw new RangeError(`${what} is not symmetric at (${i}, ${j}); symmetrise it first`);
    });
  });
}
