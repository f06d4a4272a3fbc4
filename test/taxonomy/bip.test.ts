import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/data/random.js';
import {
  selectTaxonomy,
  serveTargets,
  type TaxonomyChoice,
  type TaxonomyProblem,
  type TransferOption,
} from '../../src/taxonomy/bip.js';

/** Random scores for every first-order transfer and a few second- and third-order ones per target. */
function randomProblem(T: number, seed: number): TaxonomyProblem {
  const random = seededRandom(seed);
  const others = (t: number): number[] => Array.from({ length: T }, (_, s) => s).filter((s) => s !== t);
  return {
    ownScore: Array.from({ length: T }, () => random()),
    transfers: Array.from({ length: T }, (_, t): TransferOption[] => {
      const firstOrder = others(t).map((s) => ({ sources: [s], score: random() * 0.8 }));
      const higher = Array.from({ length: 4 }, (_, k) => {
        const pool = others(t).sort(() => random() - 0.5);
        return { sources: pool.slice(0, 2 + (k % 2)).sort((a, b) => a - b), score: random() };
      });
      return [...firstOrder, ...higher];
    }),
  };
}

/** Every set of at most `budget` supervised tasks, each served canonically: the exact reference for small T. */
function bruteForce(problem: TaxonomyProblem, budget: number): TaxonomyChoice {
  const T = problem.ownScore.length;
  let best: TaxonomyChoice | undefined;
  for (let mask = 1; mask < 1 << T; mask++) {
    const sources = Array.from({ length: T }, (_, t) => t).filter((t) => mask & (1 << t));
    if (sources.length > budget) continue;
    const choice = serveTargets(problem, budget, sources);
    if (!best || choice.total > best.total) best = choice;
  }
  return best as TaxonomyChoice;
}

test('the binary program equals brute force at every budget on random problems with T = 5', async () => {
  for (let seed = 1; seed <= 6; seed++) {
    const problem = randomProblem(5, seed);
    for (let budget = 1; budget <= 5; budget++) {
      const exact = await selectTaxonomy(problem, budget);
      const reference = bruteForce(problem, budget);
      assert.ok(
        Math.abs(exact.total - reference.total) < 1e-9,
        `seed ${seed} budget ${budget}: ${exact.total} vs ${reference.total}`,
      );
      assert.ok(exact.sources.length <= budget);
      for (const served of exact.served) {
        assert.equal(
          served.own,
          exact.sources.includes(served.target),
          'a source serves itself, every other task takes a transfer',
        );
        assert.ok(
          served.sources.every((s) => exact.sources.includes(s)),
          'a transfer uses supervised sources only',
        );
      }
    }
  }
});

test('a larger budget never scores less, and at budget T a task takes a transfer only when it beats its own network', async () => {
  const problem = randomProblem(5, 9);
  const curve = await Promise.all([1, 2, 3, 4, 5].map((b) => selectTaxonomy(problem, b)));
  curve.slice(1).forEach((c, k) => assert.ok(c.total >= curve[k].total - 1e-12));
  for (const served of curve[4].served) if (!served.own) assert.ok(served.score >= problem.ownScore[served.target]);
});

test('serving: a source serves itself, every other target its best usable transfer (the first of equal ones); sources sort numerically', () => {
  const T = 12;
  const problem: TaxonomyProblem = {
    ownScore: Array.from({ length: T }, (_, t) => 1 + t / 100),
    transfers: Array.from({ length: T }, (_, t) => [
      { sources: [t === 10 ? 2 : 10], score: 0.5 },
      { sources: [2], score: 0.5 },
      { sources: [2, 10].filter((s) => s !== t), score: 0.7 },
    ]),
  };
  const choice = serveTargets(problem, 2, [10, 2]);
  assert.deepEqual(choice.sources, [2, 10], 'numeric order, not lexicographic');
  assert.deepEqual(choice.served[2], { target: 2, sources: [2], own: true, score: 1.02 });
  assert.deepEqual(choice.served[0], { target: 0, sources: [2, 10], own: false, score: 0.7 });
  const onlyTwo = serveTargets(problem, 1, [2]);
  assert.deepEqual(
    onlyTwo.served[0].sources,
    [2],
    'of the usable transfers the best; [10] needs an unsupervised source',
  );
  const tie = serveTargets(
    {
      ownScore: [1, 1, 1],
      transfers: [
        [],
        [
          { sources: [0], score: 0.3 },
          { sources: [2], score: 0.3 },
        ],
        [],
      ],
    },
    2,
    [0, 2],
  );
  assert.deepEqual(tie.served[1].sources, [0], 'of two equal transfers the first listed');
  assert.ok(Math.abs(tie.total - 2.3) < 1e-12, `total ${tie.total}`);
  assert.throws(
    () => serveTargets({ ownScore: [1, 1, 1], transfers: [[], [{ sources: [2], score: 1 }], []] }, 1, [0]),
    /no transfer to task 1 uses only the sources 0/,
  );
});

test('the binary program takes budgets 1..T only, and says when HiGHS finds no feasible selection', async () => {
  const problem = randomProblem(4, 1);
  for (const bad of [0, 1.5, 5])
    await assert.rejects(
      selectTaxonomy(problem, bad),
      (e: unknown) => e instanceof RangeError && /budget must be an integer in 1\.\.4/.test((e as Error).message),
    );
  // two tasks nothing can transfer to: both must be supervised, which a budget of 1 does not allow
  const stranded: TaxonomyProblem = { ownScore: [1, 1, 1], transfers: [[], [], [{ sources: [0], score: 0.5 }]] };
  await assert.rejects(selectTaxonomy(stranded, 1), /HiGHS ended with status 'Infeasible' at budget 1/);
  assert.deepEqual((await selectTaxonomy(stranded, 2)).sources, [0, 1]);
});
