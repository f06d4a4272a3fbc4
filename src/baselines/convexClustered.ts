import { Matrix } from 'ml-matrix';
import { InputError } from '../data/errors.js';
import { structuredStrengths, type ClusteredParams } from './clustered.js';
import type { Family } from './crossValidate.js';
import { fitPenalised, type FitOptions, type Fitted } from './fit.js';
import { averaging, centring, quadraticForm, type Penalty } from './penalties.js';
import { symmetricEigen, type Problem, type SymmetricEigen } from './problem.js';

/**
 * Jacob, Bach & Vert (2009), unknown clusters: ε_M tr(W U Wᵀ) + min_{Σ ∈ S_c} tr(W Π Σ⁻¹ Π Wᵀ), with
 * S_c = {Σ symmetric: αI ⪯ Σ ⪯ βI, tr Σ = γ}, α = 1/ε_W, β = 1/ε_B, γ = (T − r + 1)α + (r − 1)β, and ε as in
 * ClusteredParams. The partition's own Σ = αI + (β − α)(M − U) lies in S_c, so this never exceeds the known-cluster penalty.
 */
export interface ConvexClusteredParams extends ClusteredParams {
  /** r, the number of clusters the relaxation is sized for. */
  clusters: number;
}

export interface SigmaBounds {
  alpha: number;
  beta: number;
  gamma: number;
}

export function sigmaBounds(tasks: number, { ridge, within, between, clusters }: ConvexClusteredParams): SigmaBounds {
  if (!(between < within))
    throw new InputError(`the convex relaxation needs between < within (got ${between} and ${within})`);
  if (!(Number.isInteger(clusters) && clusters >= 1 && clusters <= tasks))
    throw new InputError(`clusters must be an integer in 1..${tasks} (got ${clusters})`);
  const alpha = 1 / (ridge + within);
  const beta = 1 / (ridge + between);
  return { alpha, beta, gamma: (tasks - clusters + 1) * alpha + (clusters - 1) * beta };
}

/**
 * The Σ-step in closed form. With Π WᵀW Π = V diag(κ) Vᵀ, the minimiser of tr(Σ⁻¹ Π WᵀW Π) over S_c is
 * V diag(σ) Vᵀ with σ_i = clip(s √κ_i, α, β) and s set so that Σ σ_i = γ (stationarity of Σ κ_i/σ_i + ν(Σ σ_i − γ)).
 * The trace is piecewise linear and non-decreasing in s, so s is found exactly between two breakpoints.
 */
export const sigmaStep = (weights: Matrix, bounds: SigmaBounds): Matrix => {
  const { values, vectors } = sigmaSpectrum(weights, bounds);
  return vectors.mmul(Matrix.diag(values)).mmul(vectors.transpose());
};

function sigmaSpectrum(weights: Matrix, bounds: SigmaBounds): SymmetricEigen {
  const { alpha, beta, gamma } = bounds;
  const pi = centring(weights.columns);
  const wp = weights.mmul(pi);
  const { values, vectors } = symmetricEigen(wp.transposeMultiply(wp));
  const roots = values.map((k) => Math.sqrt(Math.max(k, 0)));
  const clip = (v: number): number => Math.min(Math.max(v, alpha), beta);
  const trace = (s: number): number => roots.reduce((sum, r) => sum + clip(r * s), 0);
  const breaks = roots
    .filter((r) => r > 0)
    .flatMap((r) => [alpha / r, beta / r])
    .sort((a, b) => a - b);
  let sigma: number[] | undefined;
  let low = 0;
  let traceLow = roots.length * alpha;
  for (const b of breaks) {
    const traceB = trace(b);
    if (traceB >= gamma) {
      const s = traceB === traceLow ? b : low + ((gamma - traceLow) * (b - low)) / (traceB - traceLow);
      sigma = roots.map((r) => clip(r * s));
      break;
    }
    [low, traceLow] = [b, traceB];
  }
  if (!sigma) {
    // Every direction W uses sits at β; the unused ones share the remaining trace (they do not change the penalty).
    const unused = roots.filter((r) => r === 0).length;
    sigma = roots.map((r) => (r > 0 ? beta : alpha + (gamma - traceLow) / unused));
  }
  return { values: sigma, vectors };
}

/**
 * The relaxed penalty as a function of W alone (Σ minimised out). By Danskin's theorem its gradient is
 * 2 W (ε_M U + Π Σ*⁻¹ Π) at the minimising Σ*, which is unique on the directions W uses.
 */
export function convexClusterPenalty(tasks: number, params: ConvexClusteredParams): Penalty {
  const bounds = sigmaBounds(tasks, params);
  const u = averaging(tasks).mul(params.ridge);
  const pi = centring(tasks);
  const curvature = (weights: Matrix): Matrix => {
    const { values, vectors } = sigmaSpectrum(weights, bounds);
    const precision = vectors.mmul(Matrix.diag(values.map((v) => 1 / v))).mmul(vectors.transpose());
    return pi.mmul(precision).mmul(pi).add(u);
  };
  return { curvature, evaluate: (weights) => quadraticForm(weights, curvature(weights)) };
}

/**
 * A task-similarity matrix from the learned Σ: (Σ − αI)/(β − α) + U, which is exactly the partition's
 * M = E(EᵀE)⁻¹Eᵀ (1/|c| within a cluster, 0 across) when the relaxation lands on a partition.
 */
export function learnedSimilarity(sigma: Matrix, bounds: SigmaBounds): Matrix {
  const T = sigma.rows;
  return sigma
    .clone()
    .sub(Matrix.eye(T, T, bounds.alpha))
    .div(bounds.beta - bounds.alpha)
    .add(averaging(T));
}

export interface ConvexClusteredFit extends Fitted {
  /** The learned task covariance Σ ∈ S_c at the solution. */
  sigma: Matrix;
  /** learnedSimilarity(sigma): usable as an affinity matrix for grouping. */
  similarity: Matrix;
}

/** r from two clusters up to half the tasks. */
export const clusterCounts = (tasks: number): number[] =>
  [2, 3, 4, 6, 8].filter((r) => r <= Math.max(2, Math.floor(tasks / 2)) && r <= tasks);

/** Clusters left unrelated (between = 0, the largest ε_W/ε_B) for every structured strength and r. */
export const defaultConvexClusteredGrid = (tasks: number): ConvexClusteredParams[] =>
  structuredStrengths().flatMap((strengths) =>
    clusterCounts(tasks).map((clusters) => ({ ...strengths, between: 0, clusters })),
  );

export function fitConvexClustered(
  problem: Problem,
  params: ConvexClusteredParams,
  options: FitOptions,
): ConvexClusteredFit {
  const fitted = fitPenalised(problem, convexClusterPenalty(problem.tasks, params), options);
  const bounds = sigmaBounds(problem.tasks, params);
  const sigma = sigmaStep(fitted.weights, bounds);
  return { ...fitted, sigma, similarity: learnedSimilarity(sigma, bounds) };
}

export function convexClustered(
  tasks: number,
  grid = defaultConvexClusteredGrid(tasks),
): Family<ConvexClusteredParams, ConvexClusteredFit> {
  return { name: 'clustered-learned', grid, fit: fitConvexClustered };
}
