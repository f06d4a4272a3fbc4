import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type CellFeature, fitGainPredictor, type TrainedCell } from '../../src/affinity/predictor/fit.js';
import { spearman } from '../../src/affinity/stats.js';
import { normalSampler, permutation, seededRandom } from '../../src/data/random.js';

/**
 * A planted gain structure: 12 tasks in 3 clusters; a pair in one cluster gains 0.08, across clusters −0.02, plus a
 * receiving task's own effect (some tasks gain from anyone). Each trained cell is measured on `seeds` seeds with noise.
 */
function planted(seed: number, noiseSd = 0.01, seeds = 3) {
  const T = 12;
  const cluster = (t: number): number => t % 3;
  const normal = normalSampler(seededRandom(seed, 1));
  const receiver = Array.from({ length: T }, () => 0.02 * normal());
  const truth = Array.from({ length: T }, (_, i) =>
    Array.from({ length: T }, (_, j) => (i === j ? 0 : (cluster(i) === cluster(j) ? 0.08 : -0.02) + receiver[i])),
  );
  const pairs: [number, number][] = [];
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) pairs.push([i, j]);
  const order = permutation(pairs.length, seededRandom(seed, 2));
  const trainedPairs = [...order.slice(0, Math.round(0.3 * pairs.length))].map((k) => pairs[k]);
  const trained: TrainedCell[] = trainedPairs.flatMap(([i, j]) =>
    [
      [i, j],
      [j, i],
    ].map(([a, b]) => ({ i: a, j: b, gains: Array.from({ length: seeds }, () => truth[a][b] + noiseSd * normal()) })),
  );
  const isTrained = new Set(trainedPairs.map((p) => p.join('+')));
  const untrained: [number, number][] = [];
  for (let i = 0; i < T; i++)
    for (let j = 0; j < T; j++)
      if (i !== j && !isTrained.has(`${Math.min(i, j)}+${Math.max(i, j)}`)) untrained.push([i, j]);
  const feature = (id: string, value: (i: number, j: number) => number): CellFeature => ({
    id,
    label: id,
    matrix: truth.map((row, i) => row.map((_, j) => (i === j ? 0 : value(i, j)))),
  });
  return { T, truth, trained, untrained, feature, normal };
}

const agreementOn = (cells: [number, number][], a: (i: number, j: number) => number, truth: number[][]): number =>
  spearman(
    cells.map(([i, j]) => a(i, j)),
    cells.map(([i, j]) => truth[i][j]),
  );

test('gain predictor: on planted clusters it recovers the gains of untrained pairs from a noisy proxy, far better than chance', () => {
  const { T, truth, trained, untrained, feature, normal } = planted(1);
  const noisy = feature('noisy', (i, j) => truth[i][j] + 0.05 * normal());
  const junk = feature('junk', () => normal());
  const predictor = fitGainPredictor(T, trained, [noisy, junk]);
  const predicted = agreementOn(untrained, (i, j) => predictor.predict(i, j)?.gain ?? Number.NaN, truth);
  const proxyAlone = agreementOn(untrained, (i, j) => noisy.matrix[i][j], truth);
  assert.ok(
    predicted > 0.5,
    `Spearman on the ${untrained.length} untrained cells: ${predicted} (the proxy alone ${proxyAlone})`,
  );
  assert.equal(predictor.predict(3, 3), null);
  const [noisyCheck, junkCheck] = predictor.report.features;
  assert.ok(noisyCheck.spearman > 0.3 && noisyCheck.weight > 0, JSON.stringify(noisyCheck));
  assert.notEqual(junkCheck.verdict, 'agrees', 'a random feature is not said to agree');
  assert.ok(Math.abs(junkCheck.weight) < noisyCheck.weight, `weights ${noisyCheck.weight}, ${junkCheck.weight}`);
});

test('gain predictor: a proxy that anti-correlates on this data gets a negative weight, is reported, and is used reversed', () => {
  const { T, truth, trained, untrained, feature, normal } = planted(2);
  const reversed = feature('reversed', (i, j) => -truth[i][j] + 0.02 * normal());
  const predictor = fitGainPredictor(T, trained, [reversed]);
  const check = predictor.report.features[0];
  assert.equal(check.verdict, 'anti-correlates');
  assert.ok(check.high < 0 && check.spearman < -0.5, JSON.stringify(check));
  assert.ok(check.weight !== null && check.weight < 0, `its weight in the chosen model: ${check.weight}`);
  const raw = agreementOn(untrained, (i, j) => reversed.matrix[i][j], truth);
  const predicted = agreementOn(untrained, (i, j) => predictor.predict(i, j)?.gain ?? Number.NaN, truth);
  assert.ok(raw < -0.5 && predicted > 0.5, `the proxy alone ${raw}, the predictor ${predicted}`);
});

test('gain predictor: its held-out error is set against the measurement noise, and it stands in only when smaller', () => {
  // noise of one seed 0.03, three seeds: a cell mean's standard error about 0.017
  const { T, trained, feature, normal, truth } = planted(3, 0.03);
  const junk = fitGainPredictor(T, trained, [feature('junk', () => normal())]).report;
  assert.ok(Math.abs(junk.noise - 0.03 / Math.sqrt(3)) < 0.006, `noise ${junk.noise}`);
  // the clusters' structure (0.1 between a pair within and across) is larger than the noise: a random feature cannot
  // predict it, so its predictions never stand in for a measurement
  assert.ok(junk.error > junk.noise, `error ${junk.error} vs noise ${junk.noise}`);
  assert.equal(junk.standsIn, false);
  const exact = fitGainPredictor(T, trained, [feature('exact', (i, j) => truth[i][j])]).report;
  assert.ok(exact.error < junk.error / 2, `exact ${exact.error} vs junk ${junk.error}`);
  assert.ok(exact.error < exact.noise, `an exact proxy's error ${exact.error} is within the noise ${exact.noise}`);
  assert.ok(exact.error <= exact.errorHigh && exact.errorHigh < junk.error, `upper bound ${exact.errorHigh}`);
  assert.ok(exact.heldOutRmse < exact.baselineRmse, 'the exact proxy beats the trained gains’ mean');
  assert.equal(exact.standsIn, exact.errorHigh <= exact.noise);
  assert.ok(exact.halfWidth > 0 && Number.isFinite(exact.halfWidth));
});

test('gain predictor: where the gains do not vary beyond their noise, a prediction no better than the mean never stands in', () => {
  const { T, trained, feature, normal } = planted(4, 0.03);
  // the same measurements' noise around one gain for every cell: nothing to predict but the mean
  const flat = trained.map((c) => ({ ...c, gains: c.gains.map(() => 0.05 + 0.03 * normal()) }));
  const report = fitGainPredictor(T, flat, [feature('junk', () => normal())]).report;
  assert.ok(report.errorHigh <= report.noise, `error ${report.error} (≤ ${report.errorHigh}), noise ${report.noise}`);
  // no clear gain over the mean: its held-out ranking's interval reaches 0, or it is no closer than the mean
  assert.ok(
    report.heldOutSpearmanLow <= 0 || report.heldOutRmse >= report.baselineRmse,
    `${report.heldOutRmse} vs the mean's ${report.baselineRmse}, Spearman from ${report.heldOutSpearmanLow}`,
  );
  assert.equal(report.standsIn, false);
});

test('gain predictor: fewer than three trained pairs are refused, naming the count', () => {
  const trained: TrainedCell[] = [
    { i: 0, j: 1, gains: [0.1] },
    { i: 1, j: 0, gains: [0.2] },
  ];
  assert.throws(() => fitGainPredictor(3, trained, []), /at least 3 trained pairs \(1 given\)/);
});

test('gain predictor: its held-out error never reads a held-out pair: a feature planted to match only the held-out gains changes none of their predictions', () => {
  const { T, truth, trained, feature, normal } = planted(5);
  const planted_ = feature('planted', () => normal());
  const features = [
    feature('noisy', (i, j) => truth[i][j] + 0.05 * normal()),
    feature('junk', () => normal()),
    planted_,
  ];
  const honest = fitGainPredictor(T, trained, features);
  const heldOutFold = honest.crossValidated.filter((c) => c.fold === 0);
  const key = (c: { i: number; j: number }): string => `${c.i},${c.j}`;
  const inFold = new Set(heldOutFold.map(key));
  // the same trained cells, except that fold 0's gains are now exactly the planted feature: a fit (its weights, its
  // reliability) that read the held-out pairs would weigh the planted feature and predict them better
  const leaky = trained.map((c) =>
    inFold.has(key(c)) ? { ...c, gains: c.gains.map(() => planted_.matrix[c.i][c.j]) } : c,
  );
  const refitted = fitGainPredictor(T, leaky, features);
  const again = new Map(refitted.crossValidated.map((c) => [key(c), c]));
  assert.ok(heldOutFold.length >= 2);
  for (const cell of heldOutFold) {
    const other = again.get(key(cell));
    assert.equal(other?.fold, 0);
    assert.equal(other?.predicted, cell.predicted, `held-out cell ${key(cell)}`);
    assert.notEqual(other?.measured, cell.measured);
  }
  // on the whole trained set the planted feature now matches fold 0, yet the held-out error there stays large
  const foldError = Math.sqrt(
    heldOutFold.reduce((s, c) => s + ((again.get(key(c))?.predicted ?? 0) - planted_.matrix[c.i][c.j]) ** 2, 0) /
      heldOutFold.length,
  );
  assert.ok(foldError > 0.2, `held-out RMSE on the planted fold ${foldError}`);
});

test('gain predictor: with no feature at all, a planted structure of row and column effects is recovered from 30% of the pairs', () => {
  // each task gains by its own amount from any partner (row) and gives by its own amount to any (column)
  const T = 14;
  const normal = normalSampler(seededRandom(7, 1));
  const [row, column] = [0, 1].map(() => Array.from({ length: T }, () => 0.05 * normal()));
  const truth = row.map((r, i) => column.map((c, j) => (i === j ? 0 : r + c)));
  const pairs: [number, number][] = [];
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) pairs.push([i, j]);
  const order = permutation(pairs.length, seededRandom(7, 2));
  const trainedPairs = [...order.slice(0, Math.round(0.3 * pairs.length))].map((k) => pairs[k]);
  const trained: TrainedCell[] = trainedPairs.flatMap(([i, j]) =>
    [
      [i, j],
      [j, i],
    ].map(([a, b]) => ({ i: a, j: b, gains: [0, 1, 2].map(() => truth[a][b] + 0.01 * normal()) })),
  );
  const isTrained = new Set(trainedPairs.map((p) => p.join('+')));
  const untrained: [number, number][] = [];
  for (let i = 0; i < T; i++)
    for (let j = 0; j < T; j++)
      if (i !== j && !isTrained.has(`${Math.min(i, j)}+${Math.max(i, j)}`)) untrained.push([i, j]);
  const predictor = fitGainPredictor(T, trained, []);
  const predicted = agreementOn(untrained, (i, j) => predictor.predict(i, j)?.gain ?? Number.NaN, truth);
  assert.ok(predicted > 0.85, `Spearman on the ${untrained.length} untrained cells: ${predicted}`);
  assert.ok(predictor.report.reliability > 0.8, `reliability ${predictor.report.reliability}`);
  assert.ok(predictor.report.heldOutRmse < predictor.report.baselineRmse, JSON.stringify(predictor.report));
});

test('gain predictor: trained cells that are only seed noise leave every feature at its prior: the proxies rank the cells together', () => {
  const { T, trained, feature, normal, truth, untrained } = planted(8, 0.03);
  // every gain the same 0.05 plus seed noise: the trained cells carry nothing beyond their noise
  const flat = trained.map((c) => ({ ...c, gains: c.gains.map(() => 0.05 + 0.03 * normal()) }));
  const [a, b] = [
    feature('a', (i, j) => truth[i][j] + 0.05 * normal()),
    feature('b', (i, j) => truth[i][j] + 0.05 * normal()),
  ];
  const curve = { ...feature('curve', () => normal()), prior: 0 };
  const predictor = fitGainPredictor(T, flat, [a, b, curve]);
  const { report } = predictor;
  // its estimate from 40 cells varies by about ±0.2 around the true 0
  assert.ok(report.reliability < 0.35, `reliability ${report.reliability}`);
  const [wa, wb, wc] = report.features.map((f) => f.weight);
  assert.ok(wa > 0 && wb > 0, `the proxies keep their direction: ${wa}, ${wb}`);
  assert.ok(Math.abs(wc) < Math.min(wa, wb), `a feature without a prior stays near 0: ${wc}`);
  // the predictions rank the untrained cells as the two proxies' consensus does, so as the planted gains
  const predicted = agreementOn(untrained, (i, j) => predictor.predict(i, j)?.gain ?? Number.NaN, truth);
  assert.ok(predicted > 0.5, `Spearman with the planted gains ${predicted}`);
  // and the intervals are as wide as the noise of the flat gains: a 90% interval covers most of a measurement's spread
  assert.ok(report.halfWidth > 0.02, `half-width ${report.halfWidth}`);
});
