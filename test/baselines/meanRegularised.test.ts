import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FINAL_TOLERANCE } from '../../src/baselines/fit.js';
import { independent, pooled } from '../../src/baselines/independent.js';
import { meanRegularised } from '../../src/baselines/meanRegularised.js';
import { makeProblem } from '../../src/baselines/problem.js';
import { maxAbsDifference, plantedTables } from './helpers.js';

const options = { tolerance: FINAL_TOLERANCE };
const family = meanRegularised();

for (const kind of ['regression', 'binary'] as const) {
  const { train } = plantedTables(
    {
      rows: 120,
      features: 8,
      clusters: 2,
      tasksPerCluster: 3,
      kind,
      labelNoise: kind === 'binary' ? 0.1 : 0.5,
      seed: 3,
    },
    120,
  );
  const problem = makeProblem(train);
  const ridge = 0.05;

  test(`${kind}: mean-regularised MTL reduces to independent models as λ → 0`, () => {
    const alone = independent().fit(problem, { ridge }, options).weights.to2DArray();
    const tiny = family.fit(problem, { ridge, pull: 1e-9 }, options).weights.to2DArray();
    const some = family.fit(problem, { ridge, pull: 0.1 }, options).weights.to2DArray();
    assert.ok(
      maxAbsDifference(tiny, alone) < 1e-6,
      `λ=1e-9 differs from independent by ${maxAbsDifference(tiny, alone)}`,
    );
    assert.ok(
      maxAbsDifference(some, alone) > 1e-3,
      'λ=0.1 should visibly couple the tasks (else the check above is vacuous)',
    );
  });

  test(`${kind}: mean-regularised MTL approaches the pooled model as λ grows`, () => {
    const shared = pooled().fit(problem, { ridge }, options);
    const column = shared.weights.getColumn(0);
    assert.ok(
      shared.weights.to2DArray().every((row) => row.every((v) => v === row[0])),
      'the pooled model has one weight vector',
    );
    // The distance to the pooled solution shrinks like 1/λ.
    const distances = [1, 10, 100, 1000].map((pull) =>
      maxAbsDifference(
        family.fit(problem, { ridge, pull }, options).weights.to2DArray(),
        column.map((v) => new Array(problem.tasks).fill(v)),
      ),
    );
    for (let i = 1; i < distances.length; i++)
      assert.ok(distances[i] < distances[i - 1] / 3, `distances to pooled: ${distances}`);
    assert.ok(distances[3] < 1e-3, `λ=1000 is ${distances[3]} from pooled`);
  });
}
