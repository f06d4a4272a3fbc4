import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix } from 'ml-matrix';
import { clusteredKnown, clusteredPenalty } from '../../src/baselines/clustered.js';
import { convexClustered, convexClusterPenalty } from '../../src/baselines/convexClustered.js';
import type { TaskData } from '../../src/baselines/data.js';
import {
  FINAL_TOLERANCE,
  gradientNormAt,
  penalisedObjective,
  tiedGradientNormAt,
  type Fitted,
} from '../../src/baselines/fit.js';
import { independent, pooled, ridgePenalty } from '../../src/baselines/independent.js';
import { meanRegularised, meanRegularisedPenalty } from '../../src/baselines/meanRegularised.js';
import type { Penalty } from '../../src/baselines/penalties.js';
import { makeProblem, type Problem } from '../../src/baselines/problem.js';
import { plantedTables } from './helpers.js';

const options = { tolerance: FINAL_TOLERANCE };

/** A table with two binary and two regression tasks, to exercise both losses at once. */
function mixedTable(): { data: TaskData; groups: number[][] } {
  const binary = plantedTables(
    { rows: 90, features: 6, clusters: 1, tasksPerCluster: 2, kind: 'binary', seed: 5 },
    90,
  ).train;
  const regression = plantedTables(
    { rows: 90, features: 6, clusters: 1, tasksPerCluster: 2, kind: 'regression', seed: 5 },
    90,
  ).train;
  return {
    data: {
      x: binary.x,
      y: binary.y.clone().addColumn(regression.y.getColumn(0)).addColumn(regression.y.getColumn(1)),
      kinds: ['binary', 'binary', 'regression', 'regression'],
    },
    groups: [
      [0, 1],
      [2, 3],
    ],
  };
}

test('the analytic gradient of the penalised objective matches finite differences (both losses, convex penalty)', () => {
  const { data } = mixedTable();
  const problem = makeProblem(data);
  const penalty = convexClusterPenalty(problem.tasks, { ridge: 0.01, within: 1, between: 0.1, clusters: 2 });
  const weights = Matrix.rand(problem.features, problem.tasks).sub(0.5);
  const bias = [0.3, -0.2, 0.1, 0.5];
  const e = penalisedObjective(problem, penalty, weights, bias);
  const h = 1e-6;
  for (const [j, t] of [
    [0, 0],
    [3, 1],
    [5, 2],
    [2, 3],
  ]) {
    const plus = weights.clone().set(j, t, weights.get(j, t) + h);
    const minus = weights.clone().set(j, t, weights.get(j, t) - h);
    const numeric =
      (penalisedObjective(problem, penalty, plus, bias).value -
        penalisedObjective(problem, penalty, minus, bias).value) /
      (2 * h);
    assert.ok(
      Math.abs(numeric - e.weightGradient.get(j, t)) < 1e-5,
      `dW[${j},${t}]: analytic ${e.weightGradient.get(j, t)} numeric ${numeric}`,
    );
  }
  for (let t = 0; t < 4; t++) {
    const shifted = (d: number) =>
      penalisedObjective(
        problem,
        penalty,
        weights,
        bias.map((b, s) => (s === t ? b + d : b)),
      ).value;
    const numeric = (shifted(h) - shifted(-h)) / (2 * h);
    assert.ok(
      Math.abs(numeric - e.biasGradient[t]) < 1e-5,
      `db[${t}]: analytic ${e.biasGradient[t]} numeric ${numeric}`,
    );
  }
});

test(`every fit stops with its KKT residual (gradient norm) below ${FINAL_TOLERANCE}`, () => {
  const { data, groups } = mixedTable();
  const cases: { data: TaskData; name: string }[] = [
    { data, name: 'mixed binary/regression (L-BFGS)' },
    {
      data: plantedTables({ rows: 90, features: 6, clusters: 2, tasksPerCluster: 2, kind: 'regression', seed: 6 }, 90)
        .train,
      name: 'all regression (closed forms)',
    },
  ];
  for (const { data: table, name } of cases) {
    const problem: Problem = makeProblem(table);
    const T = problem.tasks;
    const check = (label: string, residual: number, reported: number): void => {
      assert.ok(residual <= FINAL_TOLERANCE, `${name}, ${label}: residual ${residual}`);
      assert.ok(
        Math.abs(residual - reported) <= 1e-12 + 1e-6 * residual,
        `${name}, ${label}: reported ${reported} vs recomputed ${residual}`,
      );
    };
    const fits: [string, Penalty, Fitted][] = [
      ['independent', ridgePenalty(T, 1e-3), independent().fit(problem, { ridge: 1e-3 }, options)],
      [
        'mean-regularised',
        meanRegularisedPenalty(T, { ridge: 1e-3, pull: 0.5 }),
        meanRegularised().fit(problem, { ridge: 1e-3, pull: 0.5 }, options),
      ],
      [
        'clustered-known',
        clusteredPenalty(groups, T, { ridge: 1e-3, within: 1, between: 0.1 }),
        clusteredKnown(groups).fit(problem, { ridge: 1e-3, within: 1, between: 0.1 }, options),
      ],
      [
        'clustered-learned',
        convexClusterPenalty(T, { ridge: 1e-3, within: 1, between: 0, clusters: 2 }),
        convexClustered(T).fit(problem, { ridge: 1e-3, within: 1, between: 0, clusters: 2 }, options),
      ],
    ];
    for (const [label, penalty, fit] of fits) check(label, gradientNormAt(problem, penalty, fit), fit.gradientNorm);
    const shared = pooled().fit(problem, { ridge: 1e-3 }, options);
    check('pooled', tiedGradientNormAt(problem, ridgePenalty(T, 1e-3), shared), shared.gradientNorm);
  }
});
