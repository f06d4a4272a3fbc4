import assert from 'node:assert/strict';
import test from 'node:test';
import {
  assertSeedDesign,
  foldsOf,
  holdoutSplit,
  kfoldSplit,
  PROTOCOL_SPLIT,
  seedSplits,
  splitFor,
  type Split,
} from '../../src/data/split.js';

test('k-fold: every replication of a seed selects on one validation block that no replication tests on', () => {
  const rows = 103;
  for (const seed of [0, 7]) {
    const splits = seedSplits({ kind: 'kfold', folds: 5 }, rows, seed);
    assert.equal(splits.length, 5);
    const validation = new Set(splits[0].validation);
    assert.equal(validation.size, Math.floor(rows / 6), 'a 1/(k+1) share');
    const testedTimes = new Array<number>(rows).fill(0);
    for (const split of splits) {
      assert.deepEqual([...split.validation], [...splits[0].validation], 'the same block for every fold');
      for (const r of split.test) {
        assert.ok(!validation.has(r), `row ${r} is both validation and test within seed ${seed}`);
        testedTimes[r]++;
      }
      assert.equal(split.train.length + split.validation.length + split.test.length, rows);
      assert.ok(split.train.every((r) => !validation.has(r)));
    }
    for (let r = 0; r < rows; r++) assert.equal(testedTimes[r], validation.has(r) ? 0 : 1, `row ${r}`);
  }
});

test('the design check rejects the old cross-fitting, where fold f+1 selected for fold f', () => {
  const rows = 50;
  const folds = 5;
  const fold = (f: number): number[] => Array.from({ length: rows / folds }, (_, i) => f * (rows / folds) + i);
  const old: Split[] = Array.from({ length: folds }, (_, f) => {
    const [test, validation] = [fold(f), fold((f + 1) % folds)];
    const train = Array.from({ length: rows }, (_, r) => r).filter((r) => !test.includes(r) && !validation.includes(r));
    return { test: Int32Array.from(test), validation: Int32Array.from(validation), train: Int32Array.from(train) };
  });
  assert.throws(() => assertSeedDesign(old, rows), /validation row of one replication and a test row of another/);
  assert.doesNotThrow(() =>
    assertSeedDesign(seedSplits({ kind: 'holdout', validation: 0.2, test: 0.2 }, rows, 1), rows),
  );
});

test('holdout fractions: the first test share, then the validation share, the rest trains; too few rows for any part is an error', () => {
  const split = holdoutSplit(100, 3, { validation: 0.1, test: 0.3 });
  assert.deepEqual([split.test.length, split.validation.length, split.train.length], [30, 10, 60]);
  assert.deepEqual(
    [...split.test, ...split.validation, ...split.train].sort((a, b) => a - b),
    Array.from({ length: 100 }, (_, r) => r),
  );
  assert.deepEqual(PROTOCOL_SPLIT, { kind: 'holdout', validation: 0.2, test: 0.2 });
  const five = holdoutSplit(5, 0);
  assert.deepEqual(
    [five.test.length, five.validation.length, five.train.length],
    [1, 1, 3],
    'five rows: the smallest default split',
  );
  assert.throws(
    () => holdoutSplit(4, 0),
    /4 rows cannot be split into train\/validation\/test with fractions 0\.2\/0\.2/,
  );
  assert.throws(() => holdoutSplit(10, 0, { validation: 0.05, test: 0.5 }), /cannot be split/, 'no validation row');
  assert.throws(() => holdoutSplit(10, 0, { validation: 0.5, test: 0.5 }), /cannot be split/, 'no training row');
  assert.throws(() => holdoutSplit(10, 0, { validation: 0.5, test: 0.05 }), /cannot be split/, 'no test row');
  assert.equal(holdoutSplit(5, 0, { validation: 0.4, test: 0.4 }).train.length, 1, 'one training row is enough');
  assert.deepEqual(seedSplits(PROTOCOL_SPLIT, 50, 2), [holdoutSplit(50, 2)]);
});

test('k-fold: folds of equal size (within one row), the same validation block; bad fold counts and too few rows are errors', () => {
  const scheme = { kind: 'kfold', folds: 3 } as const;
  assert.deepEqual(foldsOf(scheme), [0, 1, 2]);
  assert.deepEqual(foldsOf(PROTOCOL_SPLIT), [0]);
  const splits = seedSplits(scheme, 25, 1);
  assert.deepEqual(
    splits.map((s) => s.test.length),
    [6, 6, 7],
    '25 rows: 6 validation, 19 cut at floor(19 f / 3)',
  );
  assert.deepEqual(
    splits.map((s) => s.validation.length),
    [6, 6, 6],
  );
  assert.deepEqual(splitFor(scheme, 25, 1, 2), splits[2]);
  assert.throws(() => kfoldSplit(20, 0, 1, 0), /k-fold cross-fitting needs at least 2 folds \(got 1\)/);
  assert.throws(() => kfoldSplit(20, 0, 2.5, 0), /at least 2 folds \(got 2\.5\)/);
  assert.throws(() => kfoldSplit(5, 0, 2, 0), /5 rows are too few for 2 folds and a validation block/);
  assert.equal(kfoldSplit(6, 0, 2, 1).test.length, 2, 'six rows: two per part');
});

test('the design check names each violation', () => {
  const ints = (values: number[]) => Int32Array.from(values);
  assert.throws(
    () => assertSeedDesign([{ train: ints([0, 1]), validation: ints([1]), test: ints([2]) }], 3),
    /row 1 is in two parts of replication 0/,
  );
  assert.throws(
    () => assertSeedDesign([{ train: ints([0]), validation: ints([1]), test: ints([2]) }], 4),
    /replication 0 leaves rows unused/,
  );
  const split = { train: ints([0, 1]), validation: ints([2]), test: ints([3]) };
  assert.throws(() => assertSeedDesign([split, split], 4), /row 3 is tested twice in one seed/);
});
