import assert from 'node:assert/strict';
import test from 'node:test';
import { assertSeedDesign, seedSplits, type Split } from '../../src/data/split.js';

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
  assert.doesNotThrow(() => assertSeedDesign(seedSplits({ kind: 'holdout', validation: 0.2, test: 0.2 }, rows, 1), rows));
});
