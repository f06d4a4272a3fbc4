import type { Matrix } from 'ml-matrix';
import type { SymmetricEigen } from './problem.js';

/**
 * Solves A W + W Ω = C for symmetric A (given by its eigen-decomposition P Λ Pᵀ) and symmetric Ω = Q M Qᵀ:
 * in the two eigenbases the equation is diagonal, W̃_ij = (Pᵀ C Q)_ij / (λ_i + μ_j). Needs λ_i + μ_j > 0.
 */
export function solveSylvester(a: SymmetricEigen, o: SymmetricEigen, c: Matrix): Matrix {
  const rotated = a.vectors.transpose().mmul(c).mmul(o.vectors);
  for (let i = 0; i < rotated.rows; i++)
    for (let j = 0; j < rotated.columns; j++) rotated.set(i, j, rotated.get(i, j) / (a.values[i] + o.values[j]));
  return a.vectors.mmul(rotated).mmul(o.vectors.transpose());
}
