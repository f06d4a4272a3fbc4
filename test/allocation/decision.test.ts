import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PairCells } from '../../src/allocation/cells.js';
import { cellWeights, decisionUncertainty } from '../../src/allocation/decision.js';
import { fastServings } from '../../src/allocation/fastSelect.js';
import { bruteForceSelect } from '../../src/grouping/selectBruteForce.js';
import { completeLossTable } from '../../src/grouping/higherOrder.js';
import { selectionProblem } from '../../src/grouping/selection.js';
import { servingOf } from '../../src/grouping/curve.js';
import { servedTotal } from '../../src/grouping/serving.js';
import { seededRandom } from '../../src/data/random.js';

/** Cells of a planted structure: tasks 0-1 help each other a lot, 2-3 a little; every other pair hurts. */
function planted(se: (i: number, j: number) => number): PairCells {
  const T = 5;
  const gain = (i: number, j: number): number => {
    const pair = [i, j].sort().join();
    return pair === '0,1' ? 0.2 : pair === '2,3' ? 0.02 : -0.1;
  };
  return {
    taskCount: T,
    single: new Array(T).fill(1),
    noise: new Array(T).fill(0.05),
    cells: Array.from({ length: T }, (_, i) =>
      Array.from({ length: T }, (_, j) =>
        i === j
          ? null
          : {
              difference: gain(i, j),
              se: se(i, j),
              seeds: 3,
              seedSd: se(i, j) * Math.sqrt(3),
              source: 'measured' as const,
            },
      ),
    ),
  };
}
const names = ['t0', 't1', 't2', 't3', 't4'];
const options = { budgets: [1, 2, 3, 4, 5], maxGroupSize: 3, draws: 12, seed: 1 };

test('cell weights: a task in a group of m gets 1/(m−1) of each partner cell', () => {
  const w = cellWeights({ groups: [[0, 1, 2], [3]], assignment: [0, 0, 0, 1] }, 4);
  assert.deepEqual(w[0], [0, 0.5, 0.5, 0]);
  assert.deepEqual(w[3], [0, 0, 0, 0]);
});

test('a precisely measured planted structure is a firm decision: every draw agrees, nothing is worth training', async () => {
  const u = await decisionUncertainty(
    planted(() => 1e-5),
    names,
    options,
  );
  assert.ok(u.budgets.every((b) => b.agreement === 1 && b.expectedRegret === 0));
  assert.ok(u.value.every((row) => row.every((v) => v === 0)));
  assert.deepEqual(u.budgets[2].serving.groups.map((g) => g.join('+')).sort(), ['0+1', '2+3', '4']);
});

test('when only the small 2-3 effect is uncertain, the value goes to its cells and the regret at stake is small', async () => {
  const u = await decisionUncertainty(
    planted((i, j) => ([i, j].sort().join() === '2,3' ? 0.05 : 1e-5)),
    names,
    options,
  );
  const on23 = u.value[2][3] + u.value[3][2];
  const elsewhere = u.value.flat().reduce((a, b) => a + b, 0) - on23;
  assert.ok(on23 > 0, 'the uncertain pair is worth training');
  assert.ok(elsewhere < on23 / 10, `value elsewhere ${elsewhere} vs ${on23}`);
  assert.ok(u.expectedRegret > 0 && u.expectedRegret < 0.05);
});

test('the indifference zone: the 2-3 contenders (0.02 apart per cell) count while a full sweep could separate them, and stop counting once their gap is within its margin', async () => {
  const cells = planted((i, j) => ([i, j].sort().join() === '2,3' ? 0.05 : 1e-5));
  const zone = (fullSweepSe: number, standardErrors: number) => ({
    fullSweepSe: cells.cells.map((row) => row.map((cell) => (cell ? fullSweepSe : 0))),
    standardErrors,
  });
  const without = await decisionUncertainty(cells, names, options);
  // a full sweep that measures each cell to 0.001 separates them: the margin (2 x 0.001 x about 1.4) hardly matters
  const precise = await decisionUncertainty(cells, names, { ...options, indifference: zone(0.001, 2) });
  assert.ok(precise.expectedRegret > 0.5 * without.expectedRegret && precise.value[2][3] > 0);
  // a full sweep whose cells carry 0.05 of noise cannot: 2 of its standard errors exceed every draw's regret
  const noisy = await decisionUncertainty(cells, names, { ...options, indifference: zone(0.05, 2) });
  assert.equal(noisy.expectedRegret, 0);
  assert.ok(
    noisy.value.every((row) => row.every((v) => v === 0)),
    'nothing is worth training inside the zone',
  );
});

test('without noise estimates the value is the cells the current decisions use, and the regret is unknown', async () => {
  const u = await decisionUncertainty(
    planted(() => NaN),
    names,
    options,
  );
  assert.ok(Number.isNaN(u.expectedRegret));
  assert.ok(u.value[0][1] > 0 && u.value[2][3] > 0);
});

test('the fast local search finds the exact optimum on random small problems at most budgets, and never beats it', async () => {
  const random = seededRandom(3, 1);
  let equal = 0;
  let total = 0;
  for (let trial = 0; trial < 8; trial++) {
    const T = 5;
    const entries = [];
    for (let i = 0; i < T; i++) entries.push({ group: [i], loss: [1 + random()] });
    for (let i = 0; i < T; i++)
      for (let j = i + 1; j < T; j++) entries.push({ group: [i, j], loss: [0.7 + random(), 0.7 + random()] });
    const table = completeLossTable({ taskNames: names, entries }, 3);
    const problem = selectionProblem(table);
    const fast = fastServings(problem, [1, 2, 3, 4, 5]);
    for (let b = 1; b <= T; b++) {
      const exact = bruteForceSelect(problem, b);
      if (exact.groups.length === 0) continue;
      const served = fast[b - 1];
      assert.ok(served);
      const gap = servedTotal(table, served) - servedTotal(table, servingOf(exact));
      assert.ok(gap > -1e-9, `budget ${b}: fast ${gap} below the exact optimum`);
      total++;
      if (gap < 1e-9) equal++;
    }
  }
  assert.ok(equal / total >= 0.9, `${equal} of ${total} budgets optimal`);
});
