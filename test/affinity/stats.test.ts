import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CellSeedMeans,
  categories,
  entropyBits,
  excessKurtosis,
  mutualInformationBits,
  ranks,
  sampleSd,
  SEED_LEVEL,
  seedInterval,
  seedMeans,
  seedOfReplication,
  spearman,
  spearmanBrown,
  tInterval,
  tTestPValue,
} from '../../src/affinity/stats.js';
import { reliabilityLowerBound, splitHalfReliability } from '../../src/affinity/reliability.js';
import { gainMatrix, groupScore } from '../../src/affinity/gain.js';
import { estimateAffinity } from '../../src/affinity/estimate.js';
import { halfVsHalfGroupingAri } from '../../src/grouping/matrixGrouping.js';
import { normalSampler, seededRandom } from '../../src/data/random.js';

test('t interval of a known sample', () => {
  const ci = tInterval([1, 2, 3, 4], 0.95);
  // mean 2.5, sd 1.29099, t(0.975, 3) = 3.182446
  assert.ok(Math.abs(ci.mean - 2.5) < 1e-12);
  assert.ok(Math.abs(ci.high - (2.5 + 3.182446 * (1.2909944 / 2))) < 1e-5);
  assert.ok(Number.isNaN(tInterval([1], 0.95).low), 'one value has no interval');
  // two values: mean 2, sd sqrt(2), se 1, t(0.975, 1) = 12.7062
  const two = tInterval([1, 3], 0.95);
  assert.ok(
    Math.abs(two.low - (2 - 12.7062047)) < 1e-6 && Math.abs(two.high - (2 + 12.7062047)) < 1e-6,
    JSON.stringify(two),
  );
  assert.ok(Math.abs(sampleSd([1, 2]) - Math.SQRT1_2) < 1e-12, 'n - 1 in the denominator');
  assert.ok(Number.isNaN(sampleSd([5])));
});

test('paired t-test p-values: two-sided, df = n - 1 (closed forms of the t distribution with 1 and 3 df)', () => {
  // 1..4: t = 3.873 (sqrt 15), df 3; F(t) = 1/2 + (x/(1+x^2) + atan x)/pi with x = t/sqrt 3 = sqrt 5. As R's t.test(1:4): p = 0.03047.
  const x = Math.sqrt(5);
  assert.ok(Math.abs(tTestPValue([1, 2, 3, 4]) - 2 * (0.5 - (x / (1 + x * x) + Math.atan(x)) / Math.PI)) < 1e-9);
  assert.ok(Math.abs(tTestPValue([1, 2, 3, 4]) - 0.03047) < 5e-5);
  assert.ok(
    Math.abs(tTestPValue([-1, -2, -3, -4]) - tTestPValue([1, 2, 3, 4])) < 1e-15,
    'two-sided: the sign does not matter',
  );
  // two values 1, 3: t = 2, df 1 (Cauchy): p = 1 - 2 atan(2) / pi
  assert.ok(Math.abs(tTestPValue([1, 3]) - (1 - (2 * Math.atan(2)) / Math.PI)) < 1e-9);
  assert.ok(Number.isNaN(tTestPValue([1])), 'one value: no test');
  assert.equal(tTestPValue([2, 2]), 0, 'no spread, nonzero mean: certain');
  assert.equal(tTestPValue([0, 0]), 1, 'no spread, zero mean: no evidence');
});

test('seed means keep first-seen seed order, and a length mismatch is an error', () => {
  assert.deepEqual(seedMeans([1, 3, 10, 5], ['s2f0', 's2f1', 's0f0', 's2f12']), [3, 10]);
  assert.throws(() => seedMeans([1, 2], ['s0']), /2 values for 1 replications/);
  assert.match(SEED_LEVEL, /df = seeds - 1/);
  assert.equal(seedOfReplication('s3f12'), 's3', 'folds of two digits');
});

test('categories, entropy, kurtosis and mutual information by hand', () => {
  assert.deepEqual(
    categories([5, 1, 5, 3]),
    [2, 0, 2, 1],
    'a discrete column: its sorted distinct values are its categories',
  );
  const continuous = Array.from({ length: 11 }, (_, k) => k * k); // 0, 1, 4, ..., 100: eleven distinct values
  assert.deepEqual(categories(continuous, 4), [0, 0, 0, 0, 0, 1, 1, 1, 2, 3, 3], 'equal width: bins of 25');
  assert.deepEqual(
    categories(continuous, 4, 'quantile'),
    [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3],
    'equal frequency: cuts at sorted[2], [5], [8] (4, 25, 64)',
  );
  assert.deepEqual(
    categories([100, 8, 7, 6, 5, 4, 3, 2, 1, 0]),
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    'ten distinct values still count as discrete',
  );
  const unsorted = continuous.map((v) => 10 + v).reverse(); // 110, 91, ..., 10: the cuts need sorting, the bins start at 10
  assert.deepEqual(categories(unsorted, 4, 'quantile'), [3, 3, 3, 2, 2, 2, 1, 1, 1, 0, 0]);
  assert.deepEqual(categories(unsorted, 4), [3, 3, 2, 1, 1, 1, 0, 0, 0, 0, 0]);
  assert.equal(entropyBits([0, 0, 1, 1]), 1);
  assert.equal(entropyBits([0, 1, 2, 3]), 2);
  assert.ok(entropyBits([7, 7]) === 0, 'one category: no uncertainty');
  // 1..4: m2 = 1.25, m4 = 2.5625, m4 / m2^2 - 3 = -1.36
  assert.ok(Math.abs(excessKurtosis([1, 2, 3, 4]) + 1.36) < 1e-12);
  assert.ok(Number.isNaN(excessKurtosis([2, 2, 2])));
  assert.equal(mutualInformationBits([0, 0, 1, 1], [5, 5, 6, 6]), 1, 'one determines the other');
  assert.equal(mutualInformationBits([0, 0, 1, 1], [0, 1, 0, 1]), 0, 'independent');
});

test('ranks share ties and Spearman sees monotone relations', () => {
  assert.deepEqual(ranks([10, 30, 20, 20]), [1, 4, 2.5, 2.5]);
  assert.ok(Math.abs(spearman([1, 2, 3, 4], [1, 8, 27, 64]) - 1) < 1e-12);
  assert.ok(Math.abs(spearman([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12);
  assert.equal(spearmanBrown(0.5), 2 / 3);
});

test('ranks are average ranks by definition (values below, plus half the ties), zeros of either sign and infinities included', () => {
  // the definition, counted pair by pair: an oracle independent of any sort
  const byCounting = (values: number[]): number[] =>
    values.map((v) => {
      const below = values.filter((u) => u < v).length;
      const equal = values.filter((u) => u === v).length;
      return below + (equal + 1) / 2;
    });
  const random = seededRandom(3);
  const pool = [0, -0, 1, -1, 0.5, Infinity, -Infinity, 2.25];
  for (let trial = 0; trial < 300; trial++) {
    const n = 1 + Math.floor(random() * 60);
    const values = Array.from({ length: n }, () =>
      random() < 0.5 ? pool[Math.floor(random() * pool.length)] : Math.round(random() * 20) / 4,
    );
    assert.deepEqual(ranks(values), byCounting(values), `[${values.join(', ')}]`);
    // with a NaN, which ties with nothing, the ranks are still 1..n shared among ties: their sum is n(n + 1) / 2
    values[Math.floor(random() * n)] = NaN;
    const sum = ranks(values).reduce((total, rank) => total + rank, 0);
    assert.equal(sum, (n * (n + 1)) / 2, `[${values.join(', ')}] with NaN`);
  }
});

test('Standley gain and the symmetric group score', () => {
  const gain = gainMatrix({
    replication: 's0',
    single: [0.5, 0.4],
    pair: [
      [NaN, 0.45],
      [0.5, NaN],
    ],
  });
  assert.ok(Math.abs(gain[0][1] - 0.1) < 1e-12, 'pairing with task 1 cuts task 0 loss by 10%');
  assert.ok(Math.abs(gain[1][0] + 0.25) < 1e-12, 'pairing with task 0 raises task 1 loss by 25%');
  assert.ok(Math.abs(groupScore(gain)[0][1] + 0.075) < 1e-12);
});

test('split-half reliability grows with replications of a noisy planted signal', () => {
  const T = 8;
  const normal = normalSampler(seededRandom(3));
  const truth = Array.from({ length: T }, () => Array.from({ length: T }, () => normal()));
  const replicate = () => truth.map((row) => row.map((v) => v + 2 * normal()));
  const reliabilityWith = (n: number) => splitHalfReliability(Array.from({ length: n }, replicate)).reliability;
  const few = reliabilityWith(2);
  const many = reliabilityWith(16);
  assert.ok(many > few + 0.2, `16 replications (${many}) are more reliable than 2 (${few})`);
  assert.ok(many > 0.7 && many < 1);
  assert.ok(Number.isNaN(splitHalfReliability([truth]).reliability), 'one replication has no split-half reliability');
});

test('split-half reliability: the diagonal is ignored, one unit falls back to replications, two units split one way, each split is one draw', () => {
  const T = 4;
  const normal = normalSampler(seededRandom(5));
  const truth = Array.from({ length: T }, () => Array.from({ length: T }, () => normal()));
  const replications = Array.from({ length: 6 }, () =>
    truth.map((row, i) => row.map((v, j) => (i === j ? 0 : v + normal()))),
  );
  const noisyDiagonal = replications.map((m) => m.map((row, i) => row.map((v, j) => (i === j ? 100 * normal() : v))));
  assert.equal(
    splitHalfReliability(noisyDiagonal).reliability,
    splitHalfReliability(replications).reliability,
    'diagonal cells are not cells of the matrix',
  );
  const oneSeed = splitHalfReliability(
    replications,
    replications.map(() => 's0'),
  );
  assert.equal(
    oneSeed.reliability,
    splitHalfReliability(replications).reliability,
    'one seed: halves over replications',
  );
  // Two seeds: every split puts one seed in each half, so the correlation is that of the two seeds' averages.
  const units = ['s0', 's0', 's0', 's1', 's1', 's1'];
  const offDiagonal = (m: number[][]) => m.flatMap((row, i) => row.filter((_, j) => i !== j));
  const averageOf = (ms: number[][][]) =>
    ms[0].map((row, i) => row.map((_, j) => ms.reduce((sum, m) => sum + m[i][j], 0) / ms.length));
  const bySeed = spearman(
    offDiagonal(averageOf(replications.slice(0, 3))),
    offDiagonal(averageOf(replications.slice(3))),
  );
  assert.ok(Math.abs(splitHalfReliability(replications, units).halfCorrelation - bySeed) < 1e-12);
  // Three units: a split is one unit against two, so one split's correlation is one of three values.
  const three = ['a', 'a', 'b', 'b', 'c', 'c'];
  const possible = [0, 2, 4].map((k) =>
    spearman(
      offDiagonal(averageOf(replications.slice(k, k + 2))),
      offDiagonal(averageOf(replications.filter((_, r) => r < k || r >= k + 2))),
    ),
  );
  for (const seed of [0, 1, 2, 3]) {
    const single = splitHalfReliability(replications, three, 1, seed).halfCorrelation;
    assert.ok(
      possible.some((p) => Math.abs(p - single) < 1e-12),
      `seed ${seed}: ${single} is one split (${possible})`,
    );
  }
});

test('cross-fitted folds are split by seed: complementary fold errors would otherwise understate reliability', () => {
  const T = 8;
  const normal = normalSampler(seededRandom(4));
  const truth = Array.from({ length: T }, () => Array.from({ length: T }, () => normal()));
  // Per seed, 5 folds whose row-composition errors sum to zero (each row is tested once), plus independent noise.
  const perReplication: number[][][] = [];
  const units: string[] = [];
  for (let seed = 0; seed < 6; seed++) {
    const foldErrors = Array.from({ length: 5 }, () => truth.map((row) => row.map(() => 3 * normal())));
    const centre = truth.map((row, i) => row.map((_, j) => foldErrors.reduce((sum, e) => sum + e[i][j], 0) / 5));
    foldErrors.forEach((e) => {
      perReplication.push(truth.map((row, i) => row.map((v, j) => v + e[i][j] - centre[i][j] + 0.5 * normal())));
      units.push(`s${seed}`);
    });
  }
  const byFold = splitHalfReliability(perReplication).reliability;
  const bySeed = splitHalfReliability(perReplication, units).reliability;
  assert.ok(bySeed > byFold + 0.1, `by seed ${bySeed} vs by fold ${byFold}`);
  assert.ok(bySeed > 0.9, `each seed's folds average to the truth plus small noise: ${bySeed}`);
  assert.equal(seedOfReplication('s12f3'), 's12');
  assert.equal(seedOfReplication('s7'), 's7');
});

test("seed-level intervals: a seed's folds count once, df = seeds - 1", () => {
  const replications = ['s0f0', 's0f1', 's1f0', 's1f1', 's2f0', 's2f1'];
  const ci = seedInterval([1, 3, 2, 4, 3, 5], replications, 0.95);
  assert.equal(ci.n, 3, 'three seeds, not six replications');
  assert.deepEqual(
    [ci.low, ci.high].map((v) => Number(v.toFixed(6))),
    [tInterval([2, 3, 4], 0.95).low, tInterval([2, 3, 4], 0.95).high].map((v) => Number(v.toFixed(6))),
  );
});

test('reliability leaves the null-control rows and columns out', () => {
  const random = seededRandom(4);
  const normal = normalSampler(random);
  // three real tasks with a stable pattern, two null controls that are pure noise
  const truth = [
    [0, 0.3, -0.2, 0, 0],
    [0.1, 0, 0.4, 0, 0],
    [-0.3, 0.2, 0, 0, 0],
    [0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0],
  ];
  const replications = ['s0', 's1', 's2', 's3', 's4', 's5'];
  const perReplication = replications.map(() =>
    truth.map((row, i) => row.map((v, j) => (i === j ? 0 : v + (i < 3 && j < 3 ? 0.01 : 1) * normal()))),
  );
  const replicates = perReplication.map((gain, r) => ({
    replication: replications[r],
    single: gain.map(() => 1),
    pair: gain.map((row, i) => row.map((g, j) => (i === j ? NaN : 1 - g))),
  }));
  const estimate = estimateAffinity(['a', 'b', 'c', 'null1:a', 'null2:b'], replicates, 0.95);
  const realOnly = splitHalfReliability(
    perReplication.map((m) => m.slice(0, 3).map((row) => row.slice(0, 3))),
    replications,
  );
  assert.equal(estimate.reliability.reliability, realOnly.reliability);
  assert.ok(estimate.reliability.reliability > 0.9, `the real block is reliable: ${estimate.reliability.reliability}`);
  assert.ok(
    splitHalfReliability(perReplication, replications).reliability < 0.8,
    'with the noise cells it would not be',
  );
});

test("half-vs-half grouping agreement splits by seed: a seed's folds stay in one half", () => {
  const a = [
    [0, 1, 0, 0],
    [1, 0, 0, 0],
    [0, 0, 0, 1],
    [0, 0, 1, 0],
  ]; // {0,1} {2,3}
  const b = [
    [0, 0, 1, 0],
    [0, 0, 0, 1],
    [1, 0, 0, 0],
    [0, 1, 0, 0],
  ]; // {0,2} {1,3}
  // seed 0's folds both say a, seed 1's both say b: two halves of seeds disagree; alternate folds would mix them
  const ari = halfVsHalfGroupingAri([a, a, b, b], ['s0f0', 's0f1', 's1f0', 's1f1'], [2]);
  assert.ok(ari < 0.5, `ARI ${ari}`);
  assert.ok(Number.isNaN(halfVsHalfGroupingAri([a, b], ['s0f0', 's0f1'], [2])), 'one seed has no two halves');
});

test('split-half reliability and its jackknife bound correlate each distinct split once: the same numbers as one correlation per draw', () => {
  // pinned from the version that correlated every one of the 200 draws (3 seeds have 3 distinct splits, 6 seeds 10)
  const random = seededRandom(5, 1);
  const T = 12;
  const truth = Array.from({ length: T }, (_, i) =>
    Array.from({ length: T }, (_, j) => (i === j ? 0 : Math.sin(i * 3 + j))),
  );
  const matrices = (n: number) =>
    Array.from({ length: n }, () => truth.map((row) => row.map((v) => v + random() - 0.5)));
  const seedsOf = (m: unknown[]) => m.map((_, k) => `s${k}`);
  const three = matrices(3);
  assert.equal(splitHalfReliability(three, seedsOf(three)).reliability, 0.931032319507403);
  const five = matrices(5);
  assert.equal(splitHalfReliability(five, seedsOf(five)).reliability, 0.9615418897366014);
  const six = matrices(6);
  const bound = reliabilityLowerBound(six, seedsOf(six), 0.9);
  assert.equal(bound.reliability, 0.9711320768188603);
  assert.equal(bound.low, 0.9675494749666218);
});

test("CellSeedMeans gives seedMeans's numbers over the replications with a value, cell after cell", () => {
  const replications = ['s2f0', 's1f0', 's2f1', 's3f0', 's1f1', 's3f1'];
  const cells = [
    [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
    [NaN, 0.7, 0.1, NaN, 0.3, 0.9],
    [NaN, NaN, NaN, NaN, NaN, NaN],
    [1 / 3, NaN, 2 / 7, 0.5, NaN, NaN],
  ];
  const seedMeansOf = new CellSeedMeans(replications);
  for (const values of cells) {
    const kept = values.flatMap((v, k) => (Number.isNaN(v) ? [] : [k]));
    const expected = seedMeans(
      kept.map((k) => values[k]),
      kept.map((k) => replications[k]),
    );
    // seeds in the order met among the kept ones: s1 before s2 in the second cell
    assert.deepEqual([...seedMeansOf.of(values)], expected);
  }
  assert.throws(() => seedMeansOf.of([1, 2]), /2 values for 6 replications/);
});
