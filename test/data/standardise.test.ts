import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareSplit } from '../../src/data/split.js';
import type { Dataset } from '../../src/data/dataset.js';

test("features are standardised with the training rows' mean and standard deviation only; labels are left as they are", () => {
  const rows = 20;
  // column 0 = r, column 1 = 2r + 5, column 2 constant; the later (validation, test) rows lie far outside training's range
  const features = new Float32Array(rows * 3);
  const targets = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    features.set([r, 2 * r + 5, 3], r * 3);
    targets[r] = r % 2;
  }
  const dataset: Dataset = {
    source: 'test',
    sha256: '',
    featureNames: ['x', 'y', 'k'],
    taskNames: ['t'],
    taskKinds: ['binary'],
    rows,
    features,
    targets,
  };
  const range = (from: number, to: number): Int32Array => Int32Array.from({ length: to - from }, (_, i) => from + i);
  const prepared = prepareSplit(dataset, { train: range(0, 10), validation: range(10, 15), test: range(15, 20) });
  const mean = 4.5; // of 0..9
  const sd = Math.sqrt(8.25); // population sd of 0..9
  const close = (a: number, b: number, what: string): void =>
    assert.ok(Math.abs(a - b) < 1e-5, `${what}: ${a} vs ${b}`);
  for (const [name, part, first] of [
    ['train', prepared.train, 0],
    ['validation', prepared.validation, 10],
    ['test', prepared.test, 15],
  ] as const)
    for (let i = 0; i < part.rows; i++) {
      const r = first + i;
      close(part.features[i * 3], (r - mean) / sd, `${name} row ${r} x`);
      close(part.features[i * 3 + 1], (2 * r + 5 - (2 * mean + 5)) / (2 * sd), `${name} row ${r} y`);
      assert.equal(part.features[i * 3 + 2], 0, 'a constant column stays 0');
      assert.equal(part.targets[i], r % 2, 'labels unchanged');
    }
});

test("targets marked standardised use the training rows' moments; the others stay as they are", () => {
  const rows = 8;
  const features = Float32Array.from({ length: rows }, (_, r) => r);
  // task 0 regression (standardised): 10, 20, ..., 80; task 1 binary (not)
  const targets = Float32Array.from({ length: rows * 2 }, (_, i) =>
    i % 2 === 0 ? 10 * (i / 2 + 1) : (i / 2 - 0.5) % 2,
  );
  const dataset: Dataset = {
    source: 'test',
    sha256: '',
    featureNames: ['x'],
    taskNames: ['y', 'b'],
    taskKinds: ['regression', 'binary'],
    rows,
    features,
    targets,
    standardisedTargets: [true, false],
  };
  const prepared = prepareSplit(dataset, {
    train: Int32Array.from([0, 1, 2, 3]),
    validation: Int32Array.from([4, 5]),
    test: Int32Array.from([6, 7]),
  });
  const [mean, sd] = [25, Math.sqrt(125)]; // of 10, 20, 30, 40 (population)
  assert.ok(Math.abs(prepared.test.targets[0] - (70 - mean) / sd) < 1e-5, `${prepared.test.targets[0]}`);
  assert.ok(Math.abs(prepared.train.targets[6] - (40 - mean) / sd) < 1e-5);
  assert.deepEqual(
    [...prepared.test.targets].filter((_, i) => i % 2 === 1),
    [0, 1],
    'the binary task keeps its labels',
  );
});
