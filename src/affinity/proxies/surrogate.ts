import { EigenvalueDecomposition, Matrix as Dense } from 'ml-matrix';
import type { TaskKind } from '../../data/dataset.js';
import { permutation, seededRandom } from '../../data/random.js';
import type { PreparedSplit } from '../../data/split.js';
import type { EngineSettings } from '../../engine/settings.js';
import { trainNetworks } from '../../engine/train.js';
import { binomial, combinations } from '../../math/combinations.js';
import { groupKey } from '../../sweep/plan.js';
import type { Matrix } from '../gain.js';
import type { ProxyEstimate } from './registry.js';

export interface SurrogateOptions {
  /** Tasks per sampled subset (default max(3, round(T/4)), at most T − 1). */
  size?: number;
  /** Subsets to train (default: enough that every pair shares about 6 subsets; all of them when that is fewer). */
  subsets?: number;
  seed?: number;
}

/** Ridge strengths tried per task, as multiples of the mean diagonal of the membership Gram matrix; leave-one-out picks. */
const RIDGE_GRID = [0.01, 0.03, 0.1, 0.3, 1, 3, 10];
/** Pairs should share about this many sampled subsets: the number of trainings follows from it. */
const PAIR_COVERAGE = 6;

export const defaultSubsetSize = (tasks: number): number => Math.min(tasks - 1, Math.max(3, Math.round(tasks / 4)));

export function defaultSubsetCount(tasks: number, size: number): number {
  const wanted = Math.ceil((PAIR_COVERAGE * tasks * (tasks - 1)) / (size * (size - 1)));
  return Math.max(wanted, Math.ceil(tasks / size));
}

/**
 * Distinct random subsets of `size` tasks: blocks of seeded permutations (so every task is in about as many subsets as
 * any other), or every subset when there are no more than `count` of them.
 */
export function sampleSubsets(tasks: number, size: number, count: number, seed: number): number[][] {
  if (binomial(tasks, size) <= count) return combinations(tasks, size);
  const random = seededRandom(seed, 11);
  const seen = new Set<string>();
  const subsets: number[][] = [];
  for (let attempt = 0; subsets.length < count && attempt < count * 10; attempt++) {
    const order = permutation(tasks, random);
    for (let start = 0; start + size <= tasks && subsets.length < count; start += size) {
      const subset = Array.from(order.subarray(start, start + size)).sort((a, b) => a - b);
      const key = groupKey(subset);
      if (seen.has(key)) continue;
      subsets.push(subset);
      seen.add(key);
    }
  }
  return subsets;
}

/** One task's linear surrogate: relative validation loss ≈ intercept + Σ_j coefficient[j] · [j in the subset]. */
interface TaskSurrogate {
  intercept: number;
  coefficients: Float64Array;
  /** Mean validation loss of the task over its sampled subsets: the scale of the relative losses. */
  scale: number;
  ridge: number;
  /** Leave-one-out root mean squared error of the relative loss. */
  looError: number;
}

/**
 * Ridge regression of one task's relative loss on subset membership (Li, Nguyen, Zhang, TMLR 2023), in its dual form
 * (fewer subsets than tasks is the usual case), with the strength chosen by exact leave-one-out error.
 */
function fitTaskSurrogate(
  task: number,
  tasks: number,
  subsets: readonly number[][],
  losses: readonly number[],
): TaskSurrogate {
  const m = subsets.length;
  const scale = losses.reduce((s, l) => s + l, 0) / m;
  const y = losses.map((l) => l / scale);
  const yMean = y.reduce((s, v) => s + v, 0) / m;
  const columnMean = new Float64Array(tasks);
  for (const subset of subsets) for (const j of subset) if (j !== task) columnMean[j] += 1 / m;
  const X = new Dense(m, tasks);
  subsets.forEach((subset, r) => {
    for (let j = 0; j < tasks; j++) if (j !== task) X.set(r, j, -columnMean[j]);
    for (const j of subset) if (j !== task) X.set(r, j, 1 - columnMean[j]);
  });
  const centred = Dense.columnVector(y.map((v) => v - yMean));
  const gram = X.mmul(X.transpose());
  const { realEigenvalues: values, eigenvectorMatrix: vectors } = new EigenvalueDecomposition(gram, {
    assumeSymmetric: true,
  });
  const projected = vectors.transpose().mmul(centred).to1DArray();
  const meanDiagonal = Math.max(1e-12, gram.trace() / m);
  let best = { ridge: NaN, looError: Infinity, alpha: new Float64Array(m) };
  for (const multiple of RIDGE_GRID) {
    const ridge = multiple * meanDiagonal;
    // dual weights alpha = (K + ridge I)^-1 y; leave-one-out residual = alpha_r / [(K + ridge I)^-1]_rr
    const alpha = new Float64Array(m);
    const inverseDiagonal = new Float64Array(m);
    for (let r = 0; r < m; r++)
      for (let e = 0; e < m; e++) {
        const v = vectors.get(r, e);
        alpha[r] += (v * projected[e]) / (values[e] + ridge);
        inverseDiagonal[r] += (v * v) / (values[e] + ridge);
      }
    let squared = 0;
    for (let r = 0; r < m; r++) squared += (alpha[r] / inverseDiagonal[r]) ** 2;
    const looError = Math.sqrt(squared / m);
    if (looError < best.looError) best = { ridge, looError, alpha };
  }
  const coefficients = Float64Array.from(
    X.transpose()
      .mmul(Dense.columnVector(Array.from(best.alpha)))
      .to1DArray(),
  );
  const intercept = yMean - coefficients.reduce((s, c, j) => s + c * columnMean[j], 0);
  return { intercept, coefficients, scale, ridge: best.ridge, looError: best.looError };
}

/**
 * The sampled-subset surrogate (task modelling; Li, Nguyen, Zhang, TMLR 2023; Li et al., KDD 2023): trains random
 * subsets of a fixed size as networks of the fused engine (one seed, all at once), regresses each task's validation
 * loss on which other tasks shared its network, and reads the affinity off the coefficients: gain[i][j] = −θ_ij, the
 * relative loss change of i when j joins. The same model predicts every task's loss in any larger subset.
 */
export function sampledSubsetSurrogate(
  data: PreparedSplit,
  kinds: TaskKind[],
  settings: EngineSettings,
  options: SurrogateOptions = {},
): ProxyEstimate {
  const T = kinds.length;
  const size = options.size ?? defaultSubsetSize(T);
  const subsets = sampleSubsets(T, size, options.subsets ?? defaultSubsetCount(T, size), options.seed ?? 0);
  const outcomes = trainNetworks(data, kinds, subsets, settings, options.seed ?? 0);
  const fits = kinds.map((_, task) => {
    const containing = outcomes.filter((o) => o.group.includes(task));
    return fitTaskSurrogate(
      task,
      T,
      containing.map((o) => o.group),
      containing.map((o) => o.validationLoss[o.group.indexOf(task)]),
    );
  });
  const matrix: Matrix = fits.map((fit, i) => Array.from(fit.coefficients, (c, j) => (i === j ? 0 : -c)));
  const subsetLoss = (group: readonly number[]): number[] =>
    group.map(
      (i) =>
        fits[i].scale * (fits[i].intercept + group.reduce((s, j) => (j === i ? s : s + fits[i].coefficients[j]), 0)),
    );
  return {
    matrix,
    networksTrained: subsets.length,
    subsetLoss,
    deviation:
      "one seed; validation loss at each network's selected epoch, relative to the task's mean; ridge strength per task by leave-one-out error " +
      '(the papers fit a plain linear model on many more subsets)',
    details: {
      subsetSize: size,
      subsets: subsets.length,
      meanLeaveOneOutError: fits.reduce((s, f) => s + f.looError, 0) / T,
    },
  };
}
