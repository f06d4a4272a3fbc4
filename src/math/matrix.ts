/**
 * A square matrix read a cell at a time, whose cells may be computed as they are read: a matrix derived from another
 * (filled, symmetrised) is then never held beside it (a T x T copy is 8 MB at 1000 tasks).
 */
export interface SquareCells {
  size: number;
  at: (i: number, j: number) => number;
}

/** A matrix stored as rows, or read a cell at a time. */
export type Square = readonly (readonly number[])[] | SquareCells;

const isRows = (m: Square): m is readonly (readonly number[])[] => Array.isArray(m);

/** `m` read a cell at a time (rows are read in place, not copied). */
export const cellsOf = (m: Square): SquareCells => (isRows(m) ? { size: m.length, at: (i, j) => m[i][j] } : m);

/** (at(i, j) + at(j, i)) / 2 a cell at a time: symmetrise's cells without the copy. */
export const symmetricCells = (size: number, at: (i: number, j: number) => number): SquareCells => ({
  size,
  at: (i, j) => (at(i, j) + at(j, i)) / 2,
});

/** (m[i][j] + m[j][i]) / 2: the undirected version of a directed matrix, which clustering and group scores need. */
export const symmetrise = (m: readonly (readonly number[])[]): number[][] => {
  const { at } = symmetricCells(m.length, (i, j) => m[i][j]);
  return m.map((row, i) => row.map((_, j) => at(i, j)));
};

/** Throws unless `m` is a square, finite, symmetric matrix (up to rounding): what clustering a similarity needs. */
export function assertSymmetric(m: Square, what = 'affinity'): void {
  const { size: n, at } = cellsOf(m);
  for (let i = 0; i < n; i++) {
    const length = isRows(m) ? m[i].length : n;
    if (length !== n) throw new RangeError(`${what} row ${i} has ${length} entries, expected ${n}`);
    for (let j = 0; j < n; j++) {
      const v = at(i, j);
      if (!Number.isFinite(v)) throw new RangeError(`${what}[${i}][${j}] is not finite`);
      if (Math.abs(v - at(j, i)) > 1e-9 * Math.max(1, Math.abs(v)))
        throw new RangeError(`${what} is not symmetric at (${i}, ${j}); symmetrise it first`);
    }
  }
}
