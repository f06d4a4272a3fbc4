import assert from 'node:assert/strict';
import { test } from 'node:test';
import { approximateTaskLoss, approximationError, completeLossTable } from '../../src/grouping/higherOrder.js';
import { LossLookup, validateLossTable, type LossTable } from '../../src/grouping/lossTable.js';

const close = (actual: number, expected: number, tol = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} != ${expected}`);

const table: LossTable = {
  taskNames: ['a', 'b', 'c', 'd'],
  entries: [
    { group: [0], loss: [1.0] },
    { group: [1], loss: [2.0] },
    { group: [2], loss: [4.0] },
    { group: [3], loss: [3.0] },
    { group: [0, 1], loss: [0.8, 1.5] },
    { group: [0, 2], loss: [1.2, 3.0] },
    { group: [0, 3], loss: [0.7, 3.3] },
    { group: [1, 2], loss: [2.2, 3.6] },
    { group: [1, 3], loss: [1.9, 2.7] },
    { group: [2, 3], loss: [4.4, 2.4] },
    { group: [0, 1, 2], loss: [0.9, 2.0, 3.3] },
  ],
};

test('a task in a group is approximated by the mean of its pair losses; a single is its measurement', () => {
  const lookup = new LossLookup(table);
  close(approximateTaskLoss(lookup, 0, [0]), 1.0);
  close(approximateTaskLoss(lookup, 0, [0, 1, 2]), (0.8 + 1.2) / 2);
  close(approximateTaskLoss(lookup, 1, [0, 1, 2]), (1.5 + 2.2) / 2);
  close(approximateTaskLoss(lookup, 2, [0, 1, 2]), (3.0 + 3.6) / 2);
  close(approximateTaskLoss(lookup, 3, [0, 1, 2, 3]), (3.3 + 2.7 + 2.4) / 3);
  assert.throws(() => approximateTaskLoss(lookup, 3, [0, 1]), RangeError);
  // singles and pairs are found by index: never a group that is unsorted, out of range, or another pair's cell
  assert.equal(lookup.loss(2, [1, 2]), 3.6);
  assert.equal(lookup.entry([2, 1]), undefined);
  assert.equal(lookup.entry([0, 6]), undefined, 'cell 0 * 4 + 6 is {1, 2}');
  assert.equal(lookup.entry([4]), undefined);
  assert.deepEqual(lookup.entry([0, 1, 2])?.loss, [0.9, 2.0, 3.3]);
});

test('completion keeps measured entries, estimates the others, and marks which is which', () => {
  const completed = completeLossTable(table, 3);
  assert.equal(completed.entries.length, 4 + 6 + 4);
  const find = (group: number[]) => completed.entries.find((e) => e.group.join() === group.join());
  assert.deepEqual(find([0, 1, 2]), { group: [0, 1, 2], loss: [0.9, 2.0, 3.3], estimated: false });
  assert.equal(find([0, 1])?.estimated, false);
  const estimated = find([1, 2, 3]);
  assert.equal(estimated?.estimated, true);
  [(2.2 + 1.9) / 2, (3.6 + 4.4) / 2, (2.7 + 2.4) / 2].forEach((v, k) => close(estimated!.loss[k], v));
  assert.deepEqual(
    completed.entries.map((e) => e.group.length),
    [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3],
  );
});

test('approximation error against a measured triple, by hand', () => {
  const error = approximationError(table);
  assert.equal(error.groups.length, 1);
  const [g] = error.groups;
  assert.deepEqual(g.group, [0, 1, 2]);
  // estimated [1.0, 1.85, 3.3] against measured [0.9, 2.0, 3.3]
  close(g.meanAbsError, (0.1 + 0.15 + 0) / 3);
  close(g.meanRelError, (0.1 / 0.9 + 0.15 / 2 + 0) / 3);
  close(error.meanAbsError, g.meanAbsError);
  assert.ok(Number.isNaN(approximationError({ taskNames: ['a'], entries: [{ group: [0], loss: [1] }] }).meanAbsError));
});

test('malformed tables and missing pairs are reported', () => {
  assert.throws(
    () => validateLossTable({ taskNames: ['a', 'b'], entries: [{ group: [1, 0], loss: [1, 1] }] }),
    /sorted/,
  );
  assert.throws(() => validateLossTable({ taskNames: ['a'], entries: [{ group: [0], loss: [1, 2] }] }), /losses/);
  const noPair: LossTable = {
    taskNames: ['a', 'b', 'c'],
    entries: table.entries.filter((e) => e.group.every((t) => t < 3) && e.group.join() !== '0,2'),
  };
  assert.throws(() => completeLossTable(noPair, 3), /\{a, c\}/);
});
