import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runGroupAnalysis as runGroupAnalysisOnly } from '../../src/analysis/group.js';
import { runPairwiseAnalysis } from '../../src/analysis/pairwise.js';
import { writeArtefacts } from '../../src/analysis/write.js';
import { matrixText } from '../../src/report/summary.js';
import { completeSpec } from '../../src/analysis/spec.js';
import { readAffinity } from '../../src/artefacts/affinity.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { adjustedRandIndex } from '../../src/grouping/ari.js';
import { readJournal } from '../../src/sweep/journal.js';
import { testBackend } from '../helpers/backend.js';
import { datasetCsv, tempDir } from '../helpers/files.js';
import { SMALL_ENGINE } from '../helpers/sweep.js';
import { written } from '../helpers/written.js';

const runGroupAnalysis = written(runGroupAnalysisOnly);

before(async () => {
  await testBackend();
});

const { dataset, clusterOf } = plantedClusters({
  rows: 400,
  features: 30,
  clusters: 2,
  tasksPerCluster: 3,
  kind: 'regression',
  labelNoise: 0.5,
  privateShare: 0,
  seed: 2,
});

function specFor(allocation: string) {
  const dir = tempDir();
  const data = join(dir, 'planted.csv');
  writeFileSync(data, datasetCsv(dataset));
  return completeSpec(
    {
      name: 'planted',
      data,
      tasks: 'last:6',
      seeds: 3,
      split: { kind: 'holdout' },
      engine: { ...SMALL_ENGINE, epochs: 30 },
      out: join(dir, 'out'),
      workers: 1,
      allocation,
      backend: process.env.TRA_BACKEND || undefined,
    },
    'test',
  );
}

const groupOptions = {
  method: 'auto' as const,
  trainHigherOrder: false,
  validate: false,
  validateSeeds: 2,
  randomDraws: 2,
  bootstrap: 4,
  earlyFractions: [0.5],
};

const pairsIn = (journal: string): number =>
  [...readJournal(journal).records.values()].filter((r) => r.group.length === 2).length;

/** The selection of two networks is the planted clusters. */
const assertClustersAtTwo = (result: {
  curve: { budget: number; selection: { assignment: number[]; groups: number[][] } }[];
}) => {
  const atTwo = result.curve.find((p) => p.budget === 2);
  assert.ok(
    atTwo && adjustedRandIndex(atTwo.selection.assignment, clusterOf) >= 0.95,
    `selection at B = 2: ${JSON.stringify(atTwo?.selection.groups)}`,
  );
};

const groupsAt = (result: { curve: { budget: number; selection: { groups: number[][] } }[] }, budget: number) =>
  result.curve
    .find((p) => p.budget === budget)
    ?.selection.groups.map((g) => g.join('+'))
    .sort();

test('decision-focused allocation: the full sweep’s selection of the planted clusters for fewer full-length networks than that sweep; a rerun trains nothing', async () => {
  const spec = specFor('decision');
  const result = await runGroupAnalysis(spec, groupOptions);
  assertClustersAtTwo(result);
  const full = await runGroupAnalysis(specFor('full'), groupOptions);
  assert.deepEqual(groupsAt(result, 2), groupsAt(full, 2), 'the same selection as the full sweep of the same seeds');
  const affinity = readAffinity(join(spec.out, 'affinity.json'));
  const allocation = affinity.allocation;
  assert.ok(allocation && allocation.strategy === 'decision' && allocation.stop);
  assert.ok(
    (allocation.networkEpochs ?? Infinity) < (allocation.fullSweepNetworkEpochs ?? 0),
    `spent ${allocation.networkEpochs} network-epochs, a full sweep of 3 seeds ${allocation.fullSweepNetworkEpochs}`,
  );
  // every cell says where its number comes from; the measured ones how many seeds trained them
  const sources = affinity.cells?.source.flat().filter((s) => s !== null) ?? [];
  assert.equal(sources.length, 30);
  assert.ok(sources.every((s) => s === 'measured' || s === 'approximated'));
  const csv = readFileSync(join(spec.out, 'affinity.csv'), 'utf8');
  assert.match(csv.split('\n')[0], /cell_source,cell_seeds/);
  const journal = join(spec.out, 'journal.jsonl');
  const before = pairsIn(journal);
  assert.ok(before < 15 * 3, `${before} full-length pair networks`);
  await runGroupAnalysis(spec, groupOptions);
  assert.equal(pairsIn(journal), before, 'a resumed allocation repeats its decisions instead of training more');
});

test('short runs: the finalists are trained in full and the short runs’ rank agreement on them is reported', async () => {
  const spec = specFor('short');
  const result = await runGroupAnalysis(spec, groupOptions);
  const affinity = readAffinity(join(spec.out, 'affinity.json'));
  const shortRuns = affinity.allocation?.shortRuns;
  assert.ok(shortRuns && shortRuns.epochs === 8 && shortRuns.cells > 0, JSON.stringify(shortRuns));
  assert.ok(readJournal(join(spec.out, 'short-runs', 'journal.jsonl')).records.size === 2 * 21);
  assertClustersAtTwo(result);
});

test('short screen, then decision-focused: the planted clusters for well under a full sweep’s network-epochs, the approximation checked, and a rerun trains nothing', async () => {
  const spec = specFor('screen');
  const result = await runGroupAnalysis(spec, groupOptions);
  assertClustersAtTwo(result);
  const allocation = readAffinity(join(spec.out, 'affinity.json')).allocation;
  assert.ok(allocation && allocation.strategy === 'screen' && allocation.stop, JSON.stringify(allocation));
  // measured 865 of 1890 (native and wasm): the screen is 516, each pair trained in full 30 more
  assert.ok(
    (allocation.networkEpochs ?? Infinity) <= 0.6 * (allocation.fullSweepNetworkEpochs ?? 0),
    `spent ${allocation.networkEpochs} network-epochs, a full sweep of 3 seeds ${allocation.fullSweepNetworkEpochs}`,
  );
  const journals = [join(spec.out, 'journal.jsonl'), join(spec.out, 'short-runs', 'journal.jsonl')];
  const sizes = journals.map((j) => readJournal(j).records.size);
  // the screen: every single and pair short on two seeds; the singles in full on one
  assert.equal(sizes[1], 2 * 21);
  await runGroupAnalysis(spec, groupOptions);
  assert.deepEqual(
    journals.map((j) => readJournal(j).records.size),
    sizes,
    'a resumed allocation repeats its decisions instead of training more',
  );
});

test('short runs only: the planted clusters from short runs of every pair on the definition’s seeds, no pair trained in full, every cell approximated', async () => {
  const spec = specFor('early');
  const result = await runGroupAnalysis(spec, groupOptions);
  assertClustersAtTwo(result);
  const affinity = readAffinity(join(spec.out, 'affinity.json'));
  assert.equal(affinity.allocation?.strategy, 'early');
  assert.equal(pairsIn(join(spec.out, 'journal.jsonl')), 0, 'no pair trained in full');
  assert.equal(readJournal(join(spec.out, 'journal.jsonl')).records.size, 6, 'the singles in full on one seed');
  assert.equal(readJournal(join(spec.out, 'short-runs', 'journal.jsonl')).records.size, 3 * 21);
  const sources = affinity.cells?.source.flat().filter((s) => s !== null) ?? [];
  assert.equal(sources.length, 30);
  assert.ok(
    sources.every((s) => s === 'approximated'),
    JSON.stringify(sources),
  );
  // measured 603 of 1890 (native and wasm): 6 singles of 30 epochs and 63 short runs of at most 8
  assert.ok(
    (affinity.allocation?.networkEpochs ?? Infinity) <= (affinity.allocation?.fullSweepNetworkEpochs ?? 0) / 3,
    `spent ${affinity.allocation?.networkEpochs} network-epochs of ${affinity.allocation?.fullSweepNetworkEpochs}`,
  );
});

test('predicted, then decision-focused: a third of the pairs on one seed, the rest predicted; predicted cells are labelled in affinity.json, the CSV and the terminal, and never get a verdict or an interval', async () => {
  const spec = specFor('predict');
  const result = await runPairwiseAnalysis(spec, { progress: false });
  writeArtefacts(result);
  const affinity = readAffinity(join(spec.out, 'affinity.json'));
  assert.equal(affinity.allocation?.strategy, 'predict');
  const source = affinity.cells?.source ?? [];
  const predicted: [number, number][] = [];
  source.forEach((row, i) => row.forEach((s, j) => s === 'predicted' && predicted.push([i, j])));
  // round one trained 6 of the 15 pairs; the decision-focused rounds train only those that can change the grouping
  assert.ok(predicted.length > 0, `sources: ${JSON.stringify(source)}; stop: ${affinity.allocation?.stop}`);
  for (const [i, j] of predicted) {
    assert.equal(affinity.cells?.seeds?.[i][j], 0);
    assert.ok(Number.isFinite(affinity.mean[i][j] ?? Number.NaN), `predicted cell ${i},${j} shows its prediction`);
    assert.equal(affinity.low[i][j], null, 'no interval');
    assert.equal(result.inference.verdict[i][j], null, 'no test, no verdict');
    assert.equal(affinity.inference?.verdict?.[i][j], null);
  }
  const counts = result.inference.counts;
  assert.equal(
    counts.helps + counts.hurts + counts['no evidence'],
    30 - predicted.length,
    'only measured cells are counted',
  );
  const csv = readFileSync(join(spec.out, 'affinity.csv'), 'utf8').split('\n');
  const column = csv[0].split(',').indexOf('cell_source');
  assert.equal(csv.filter((line) => line.split(',')[column] === 'predicted').length, predicted.length);
  const table = matrixText(result.estimate, result.inference, result.allocation?.source);
  assert.match(table, /p predicted by the gain predictor, never trained/);
  assert.equal((table.match(/\dp/g) ?? []).length, predicted.length);
});
