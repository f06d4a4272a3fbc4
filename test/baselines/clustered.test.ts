import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inverse, Matrix } from 'ml-matrix';
import { clusteredKnown, clusteredPenalty, completePartition } from '../../src/baselines/clustered.js';
import { runBaseline } from '../../src/baselines/compare.js';
import {
  convexClusterPenalty,
  fitConvexClustered,
  sigmaBounds,
  sigmaStep,
} from '../../src/baselines/convexClustered.js';
import { FINAL_TOLERANCE } from '../../src/baselines/fit.js';
import { groupsFromSimilarity } from '../../src/baselines/grouping.js';
import { adjustedRandIndex } from '../../src/grouping/ari.js';

const labelsOf = (groups: number[][], items: number): number[] => {
  const labels = new Array<number>(items).fill(-1);
  groups.forEach((g, c) => g.forEach((t) => (labels[t] = c)));
  return labels;
};
import { independent } from '../../src/baselines/independent.js';
import { averaging, centring, clusterMatrix } from '../../src/baselines/penalties.js';
import { makeProblem, symmetricEigen } from '../../src/baselines/problem.js';
import { InputError } from '../../src/data/errors.js';
import { seededRandom } from '../../src/data/random.js';
import { plantedTables, sum } from './helpers.js';

const planted = { features: 20, clusters: 3, tasksPerCluster: 4, privateShare: 0.2, seed: 1 };

test('known-cluster MTL beats independent models on planted clusters with few rows per task', () => {
  const {
    train,
    test: held,
    groups,
  } = plantedTables({ ...planted, rows: 530, kind: 'regression', labelNoise: 0.5 }, 30);
  const alone = runBaseline(independent(), train, held, 5, 0);
  const clustered = runBaseline(clusteredKnown(groups), train, held, 5, 0);
  const [a, c] = [sum(alone.testLosses), sum(clustered.testLosses)];
  assert.ok(c < 0.9 * a, `clustered total test MSE ${c.toFixed(3)} vs independent ${a.toFixed(3)}`);
  assert.ok(clustered.params.within > 0, 'cross-validation chose to pull tasks to their cluster means');
});

for (const kind of ['regression', 'binary'] as const) {
  const labelNoise = kind === 'regression' ? 0.5 : 0.1;
  const params = { ridge: 1e-2, within: 1, between: 0, clusters: 3 };

  test(`${kind}: the convex relaxation's learned similarity recovers the planted clusters (ARI >= 0.9)`, () => {
    const { train, clusterOf } = plantedTables({ ...planted, rows: 60, kind, labelNoise }, 60);
    const fit = fitConvexClustered(makeProblem(train), params, { tolerance: FINAL_TOLERANCE });
    const ari = adjustedRandIndex(labelsOf(groupsFromSimilarity(fit.similarity, 3), clusterOf.length), clusterOf);
    assert.ok(ari >= 0.9, `ARI ${ari}`);
    const pairs = (same: boolean): number[] =>
      clusterOf.flatMap((c, s) =>
        clusterOf.flatMap((d, t) => (s !== t && (c === d) === same ? [fit.similarity.get(s, t)] : [])),
      );
    const mean = (v: number[]): number => sum(v) / v.length;
    assert.ok(
      mean(pairs(true)) > 2 * mean(pairs(false)),
      `mean similarity within ${mean(pairs(true))}, across ${mean(pairs(false))}`,
    );
  });

  test(`${kind}: without planted clusters the same procedure does not invent them (negative control)`, () => {
    const { train, clusterOf } = plantedTables({ ...planted, rows: 60, kind, labelNoise, privateShare: 1 }, 60);
    const fit = fitConvexClustered(makeProblem(train), params, { tolerance: FINAL_TOLERANCE });
    const ari = adjustedRandIndex(labelsOf(groupsFromSimilarity(fit.similarity, 3), clusterOf.length), clusterOf);
    assert.ok(ari < 0.5, `ARI ${ari}`);
  });
}

test('the Σ-step returns a feasible Σ that beats other feasible Σ, and the relaxation never exceeds the known-cluster penalty', () => {
  const T = 6;
  const random = seededRandom(9);
  const params = { ridge: 0.1, within: 2, between: 0.2, clusters: 2 };
  const bounds = sigmaBounds(T, params);
  const groups = [
    [0, 1, 2],
    [3, 4, 5],
  ];
  const pi = centring(T);
  for (let trial = 0; trial < 5; trial++) {
    const weights = Matrix.from1DArray(
      4,
      T,
      Array.from({ length: 4 * T }, () => random() - 0.5),
    );
    const k = pi.mmul(weights.transpose()).mmul(weights).mmul(pi);
    const objective = (sigma: Matrix): number => inverse(sigma).mmul(k).trace();
    const sigma = sigmaStep(weights, bounds);
    const { values } = symmetricEigen(sigma);
    assert.ok(
      Math.abs(sigma.trace() - bounds.gamma) < 1e-9 * bounds.gamma,
      `trace ${sigma.trace()} vs γ ${bounds.gamma}`,
    );
    assert.ok(
      values.every((v) => v >= bounds.alpha * (1 - 1e-9) && v <= bounds.beta * (1 + 1e-9)),
      `eigenvalues ${values} outside [α, β]`,
    );
    // The partition's own Σ, and random feasible ones, are no better.
    const partition = Matrix.eye(T, T, bounds.alpha).add(
      clusterMatrix(groups, T)
        .sub(averaging(T))
        .mul(bounds.beta - bounds.alpha),
    );
    const others = [partition, ...Array.from({ length: 5 }, () => randomFeasible(T, bounds, random))];
    for (const other of others)
      assert.ok(objective(sigma) <= objective(other) + 1e-9, `Σ* ${objective(sigma)} vs feasible ${objective(other)}`);
    const relaxed = convexClusterPenalty(T, params).evaluate(weights).value;
    const known = clusteredPenalty(groups, T, params).evaluate(weights).value;
    assert.ok(relaxed <= known + 1e-12, `relaxed ${relaxed} > known-cluster ${known}`);
  }
});

/** V diag(σ) Vᵀ with a random orthogonal V and random σ in [α, β] summing to γ. */
function randomFeasible(
  T: number,
  { alpha, beta, gamma }: { alpha: number; beta: number; gamma: number },
  random: () => number,
): Matrix {
  const { vectors } = symmetricEigen(
    Matrix.from1DArray(
      T,
      T,
      Array.from({ length: T * T }, () => random()),
    ).gram(),
  );
  let sigma = Array.from({ length: T }, () => alpha + random() * (beta - alpha));
  // Move every σ the same fraction of the way to the bound that fixes the trace.
  const total = sum(sigma);
  sigma =
    total > gamma
      ? sigma.map((s) => s - ((s - alpha) * (total - gamma)) / (total - T * alpha))
      : sigma.map((s) => s + ((beta - s) * (gamma - total)) / (T * beta - total));
  return vectors.mmul(Matrix.diag(sigma)).mmul(vectors.transpose());
}

test('partitions: unlisted tasks stand alone; bad members are InputErrors', () => {
  assert.deepEqual(completePartition([[0, 2]], 4), [[0, 2], [1], [3]]);
  assert.throws(
    () =>
      completePartition(
        [
          [0, 1],
          [1, 2],
        ],
        3,
      ),
    InputError,
  );
  assert.throws(() => completePartition([[0, 5]], 3), InputError);
});

test('adjusted Rand index: 1 for the same partition under relabelling, below 0.1 for unrelated ones', () => {
  assert.equal(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 4, 4]), 1);
  assert.ok(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 0, 1]) < 0.1);
  // By hand: joint pairs 1 + 3 = 4, row pairs 3 + 3 = 6, column pairs 1 + 6 = 7, of 15: (4 − 6·7/15) / ((6 + 7)/2 − 6·7/15).
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1]) - 1.2 / 3.7) < 1e-12);
});
