import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runAuxiliaryAnalysis as runAuxiliaryAnalysisOnly } from '../../src/analysis/auxiliary.js';
import { completeSpec, loadSpecDataset } from '../../src/analysis/spec.js';
import type { Dataset } from '../../src/data/dataset.js';
import { InputError } from '../../src/data/errors.js';
import { loadDataset } from '../../src/data/load.js';
import { normalSampler, seededRandom } from '../../src/data/random.js';
import { prepareSplit } from '../../src/data/split.js';
import { selectColumns, targetColumn } from '../../src/data/targets.js';
import { auxiliaryCandidates, featuresByCorrelation } from '../../src/grouping/auxiliaryCandidates.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir, validCsv, writeTemp } from '../helpers/files.js';
import { written } from '../helpers/written.js';

const runAuxiliaryAnalysis = written(runAuxiliaryAnalysisOnly);

before(async () => {
  await testBackend();
});

/**
 * The main label thresholds a latent z = (x1 x2 + x3 x4 + x5 x6) / sqrt(3) of the inputs (plus label noise): hard to
 * learn from a rare binary label, easy with z itself as a target. `helper` (z) and `noise` are auxiliary-only.
 */
function plantedCsv(rows: number): string {
  const normal = normalSampler(seededRandom(5, 1));
  const d = 12;
  const lines = [[...Array.from({ length: d }, (_, j) => `x${j + 1}`), 'main', 'helper', 'noise'].join(',')];
  for (let r = 0; r < rows; r++) {
    const x = Array.from({ length: d }, normal);
    const z = (x[0] * x[1] + x[2] * x[3] + x[4] * x[5]) / Math.sqrt(3);
    lines.push(
      [...x.map((v) => v.toFixed(4)), z + 0.3 * normal() > 0.8 ? 1 : 0, z.toFixed(4), normal().toFixed(4)].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

test('tra auxiliary on planted data: the latent helper withheld from the inputs ranks first and helps, pure noise does not', async () => {
  const dir = tempDir();
  const data = join(dir, 'planted.csv');
  writeFileSync(data, plantedCsv(600));
  const spec = completeSpec(
    {
      name: 'planted-auxiliary',
      data,
      tasks: 'main',
      auxiliaryOnly: ['helper', 'noise'],
      seeds: 5,
      split: { kind: 'holdout' },
      engine: { epochs: 30, hidden: [32], batchSize: 32, learningRate: 0.01 },
      out: join(dir, 'out'),
      workers: 1,
      backend: process.env.TRA_BACKEND || undefined,
    },
    'test',
  );
  assert.deepEqual(
    loadSpecDataset(spec).featureNames,
    Array.from({ length: 12 }, (_, j) => `x${j + 1}`),
    'auxiliary-only columns are never inputs',
  );
  const result = await runAuxiliaryAnalysis(spec, {
    main: 'main',
    moveEach: 1,
    moveSet: 0,
    moveFeatures: [],
    autoencoder: true,
    recommend: 2,
    validate: false,
    validateSeeds: 2,
  });
  const name = (task: number): string => result.candidates[task].name;
  assert.deepEqual(
    result.candidates.map((c) => c.name),
    ['future:helper', 'future:noise', 'moved:rank1', 'autoencoder'],
  );
  const [first] = result.ranking;
  assert.equal(
    name(first.task),
    'future:helper',
    result.ranking.map((r) => `${name(r.task)} ${r.mean.toFixed(3)}`).join('; '),
  );
  assert.equal(first.verdict, 'helps');
  assert.ok(first.low > 0 && first.n === 5);
  assert.notEqual(result.ranking.find((r) => name(r.task) === 'future:noise')?.verdict, 'helps');
  assert.equal(name(result.recommended[0]), 'future:helper', 'the set is chosen on validation and the helper leads it');
  // The rank-1 moved feature is chosen per replication on its training rows, and scored against all inputs too.
  const moved = result.candidates.find((c) => c.name === 'moved:rank1');
  assert.equal(
    moved?.columns.reduce((n, c) => n + c.replications, 0),
    5,
  );
  assert.equal(moved?.netGain?.n, 5);
  const mutualInformation = result.agreement.find((a) => a.key === 'mutualInformation');
  assert.equal(mutualInformation && name(mutualInformation.pick), 'future:helper');
  const written = JSON.parse(readFileSync(join(spec.out, 'auxiliary-main', 'auxiliary.json'), 'utf8'));
  assert.equal(written.ranking[0].task, 'future:helper');
  assert.equal(written.heuristics.length, result.agreement.length);
});

test('tra auxiliary reruns on its own folder: a candidate of several columns (moved:top2) resumes from its journal, nothing trained again', async () => {
  const dir = tempDir();
  const data = join(dir, 'planted.csv');
  writeFileSync(data, plantedCsv(200));
  const spec = completeSpec(
    {
      name: 'rerun',
      data,
      tasks: 'main',
      auxiliaryOnly: ['helper', 'noise'],
      seeds: 2,
      split: { kind: 'holdout' },
      engine: { epochs: 3, hidden: [8] },
      out: join(dir, 'out'),
      workers: 1,
      backend: process.env.TRA_BACKEND || undefined,
    },
    'test',
  );
  const options = {
    main: 'main',
    moveEach: 0,
    moveSet: 2,
    moveFeatures: [],
    autoencoder: false,
    recommend: 1,
    validate: false,
    validateSeeds: 2,
  };
  const first = await runAuxiliaryAnalysis(spec, options);
  assert.ok(first.candidates.some((c) => c.name === 'moved:top2'));
  const again = await runAuxiliaryAnalysis(spec, options);
  assert.deepEqual(
    again.ranking.map((r) => [r.task, r.mean]),
    first.ranking.map((r) => [r.task, r.mean]),
    'the second run reads the same networks back',
  );
});

const rowsOf = (ds: Dataset, predicate: (r: number) => boolean): Int32Array =>
  Int32Array.from({ length: ds.rows }, (_, r) => r).filter(predicate);

test('auxiliary-only columns: kept out of the default inputs, refused as named inputs, and moved features leave the inputs', () => {
  const file = writeTemp('d.csv', validCsv());
  const ds = loadDataset(file, { tasks: 'a,b', targetOnly: ['r'] });
  assert.deepEqual(ds.featureNames, ['f1', 'f2']);
  assert.deepEqual(ds.targetOnlyNames, ['r']);
  assert.throws(
    () => loadDataset(file, { tasks: 'a,b', features: 'f1,r', targetOnly: ['r'] }),
    (e: unknown) => e instanceof InputError && /'r' is marked auxiliary-only/.test(e.message),
  );
  const [, future, moved] = auxiliaryCandidates(ds, {
    main: 0,
    moveEach: 1,
    moveSet: 0,
    moveFeatures: [],
    autoencoder: false,
  });
  assert.equal(future.name, 'future:r');
  const all = rowsOf(ds, () => true);
  const resolved = moved.resolve(all);
  const variant = selectColumns(
    ds,
    [0, 1].filter((f) => !resolved.dropped.includes(f)),
    [targetColumn(ds, 'task', 0), ...resolved.targets],
  );
  assert.equal(variant.featureNames.length, 1);
  assert.ok(
    !variant.featureNames.includes(variant.taskNames[1]),
    'a feature predicted as an output is not also an input',
  );
});

test("a moved feature is chosen on the given training rows only, and standardised targets use the training rows' moments", () => {
  // f1 tracks the label on the first half of the rows, f2 on the second half.
  const lines = ['f1,f2,y'];
  for (let i = 0; i < 40; i++) {
    const y = i % 2;
    lines.push(i < 20 ? `${y + (i % 5) * 0.01},${(i * 7) % 3},${y}` : `${(i * 7) % 3},${y + (i % 5) * 0.01},${y}`);
  }
  const ds = loadDataset(writeTemp('c.csv', `${lines.join('\n')}\n`), { tasks: 'y' });
  assert.equal(
    featuresByCorrelation(
      ds,
      0,
      rowsOf(ds, (r) => r < 20),
    )[0],
    0,
  );
  assert.equal(
    featuresByCorrelation(
      ds,
      0,
      rowsOf(ds, (r) => r >= 20),
    )[0],
    1,
  );
  const variant = selectColumns(ds, [1], [targetColumn(ds, 'task', 0), targetColumn(ds, 'feature', 0)]);
  assert.deepEqual(variant.standardisedTargets, [false, true]);
  const train = rowsOf(ds, (r) => r < 30);
  const prepared = prepareSplit(variant, {
    train,
    validation: rowsOf(ds, (r) => r >= 30 && r < 35),
    test: rowsOf(ds, (r) => r >= 35),
  });
  const column = (k: number): number[] =>
    Array.from({ length: prepared.train.rows }, (_, r) => prepared.train.targets[r * 2 + k]);
  assert.ok(
    Math.abs(column(1).reduce((s, v) => s + v, 0) / train.length) < 1e-6,
    'moved column centred on the training rows',
  );
  assert.deepEqual(
    column(0),
    Array.from(train, (r) => r % 2),
    'the label is left as it is',
  );
});
