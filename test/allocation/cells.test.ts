import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completeSeedTables, fillCells, measuredCells, meanTable, type PairCells } from '../../src/allocation/cells.js';
import { approximatedCells } from '../../src/allocation/evidence.js';
import type { LossTable } from '../../src/grouping/lossTable.js';
import { meanLossTable } from '../../src/grouping/replicated.js';

const names = ['a', 'b', 'c'];
const table = (entries: [number[], number[]][]): LossTable => ({
  taskNames: names,
  entries: entries.map(([group, loss]) => ({ group, loss })),
});
// seed 0 trained every pair; seed 1 only a+b; seed 2 only a+b and b+c
const seeds = [
  table([
    [[0], [1.0]],
    [[1], [2.0]],
    [[2], [3.0]],
    [
      [0, 1],
      [0.9, 2.1],
    ],
    [
      [0, 2],
      [0.8, 2.7],
    ],
    [
      [1, 2],
      [1.9, 2.9],
    ],
  ]),
  table([
    [[0], [1.2]],
    [[1], [2.2]],
    [[2], [3.4]],
    [
      [0, 1],
      [1.0, 2.2],
    ],
  ]),
  table([
    [[0], [1.1]],
    [[1], [2.4]],
    [[2], [3.2]],
    [
      [0, 1],
      [1.0, 2.3],
    ],
    [
      [1, 2],
      [2.3, 3.0],
    ],
  ]),
];

test('a cell is the mean within-seed difference over the seeds that trained its pair, with the seed-level noise', () => {
  const cells = measuredCells(seeds, 3);
  assert.deepEqual(
    cells.single.map((x) => +x.toFixed(6)),
    [1.1, 2.2, 3.2],
  );
  // d(a, b): 1.0 − 0.9, 1.2 − 1.0, 1.1 − 1.0 over three seeds
  const ab = cells.cells[0][1];
  assert.ok(ab && ab.source === 'measured' && ab.seeds === 3);
  assert.ok(Math.abs(ab.difference - (0.1 + 0.2 + 0.1) / 3) < 1e-12);
  // d(a, c) has one seed: its noise is its row's pooled one (a's row: only d(a, b) has two or more seeds)
  const ac = cells.cells[0][2];
  assert.ok(ac && ac.seeds === 1 && Math.abs(ac.difference - 0.2) < 1e-12);
  const rowSd = Math.sqrt(((0.1 - 0.4 / 3) ** 2 + (0.2 - 0.4 / 3) ** 2 + (0.1 - 0.4 / 3) ** 2) / 2);
  assert.ok(Math.abs(cells.noise[0] - rowSd) < 1e-12);
  assert.ok(Math.abs(ac.se - rowSd) < 1e-12, `a one-seed cell's se is the row's sd: ${ac.se} vs ${rowSd}`);
  assert.equal(cells.cells[1][1], null);
});

test('completed seed tables keep what each seed trained and average to the paired estimate', () => {
  const cells = measuredCells(seeds, 3);
  const completed = completeSeedTables(seeds, cells);
  const lookup = (t: LossTable, group: number[]) => t.entries.find((e) => e.group.join() === group.join())?.loss;
  // seed 1 never trained a+c: its a-loss there is its own single minus the mean difference measured on seed 0
  assert.deepEqual(
    lookup(completed[1], [0, 2])?.map((x) => +x.toFixed(9)),
    [1.2 - 0.2, +(3.4 - 0.3).toFixed(9)],
  );
  assert.deepEqual(lookup(completed[1], [0, 1]), [1.0, 2.2]);
  // the mean table over seeds is the mean single minus the mean difference (the paired estimator), cell by cell
  const mean = meanLossTable(completed);
  const direct = meanTable(cells, names);
  for (const entry of direct.entries)
    assert.deepEqual(
      lookup(mean, entry.group)?.map((x) => +x.toFixed(9)),
      entry.loss.map((x) => +x.toFixed(9)),
      `group ${entry.group}`,
    );
  // a measured cell that short runs sharpened (a new mean) moves its pair's loss on every seed that trained it alike
  const ab = cells.cells[0][1];
  assert.ok(ab);
  const sharpened: PairCells = {
    ...cells,
    cells: cells.cells.map((row, i) => row.map((c, j) => (i === 0 && j === 1 ? { ...ab, difference: 0.25 } : c))),
  };
  const moved = completeSeedTables(seeds, sharpened);
  for (const k of [0, 1, 2]) {
    const [before, after] = [lookup(completed[k], [0, 1]), lookup(moved[k], [0, 1])];
    assert.ok(
      before && after && Math.abs(before[0] - after[0] - (0.25 - ab.difference)) < 1e-12 && before[1] === after[1],
    );
  }
  const movedMean = meanLossTable(moved);
  for (const entry of meanTable(sharpened, names).entries)
    assert.deepEqual(
      lookup(movedMean, entry.group)?.map((x) => +x.toFixed(9)),
      entry.loss.map((x) => +x.toFixed(9)),
      `sharpened, group ${entry.group}`,
    );
});

test('without two seeds on any pair there is no noise estimate (NaN), never a made-up one', () => {
  const cells = measuredCells([seeds[0]], 3);
  assert.ok(cells.cells[0][1] && Number.isNaN(cells.cells[0][1].se));
});

test('before any pair has two seeds, a row takes the noise it is given (the short runs’, relative to its single loss)', () => {
  const cells = measuredCells([seeds[0]], 3, [0.1, 0.05, NaN]);
  // one seed: se = the row's sd (relative sd x the single loss) / sqrt(1)
  assert.ok(Math.abs((cells.cells[0][1]?.se ?? NaN) - 0.1 * 1.0) < 1e-12);
  assert.ok(Math.abs((cells.cells[1][2]?.se ?? NaN) - 0.05 * 2.0) < 1e-12);
  assert.ok(Number.isNaN(cells.cells[2][0]?.se ?? 0), 'a row without one stays unknown');
  // a row with its own two-seed cells keeps its own noise
  const own = measuredCells(seeds, 3, [10, 10, 10]);
  assert.deepEqual(own.noise, measuredCells(seeds, 3).noise);
});

test('short runs fill only the cells no full training measured, as a gain on the full-length single loss', () => {
  const full = measuredCells(seeds.slice(1), 3); // a+c never trained in full
  const short = measuredCells(seeds, 3); // pretend these were the short runs
  const { cells, agreement } = approximatedCells(full, short, 8);
  const ac = cells.cells[0][2];
  assert.ok(ac && ac.source === 'approximated' && ac.seeds === 0);
  // gain 0.2 / 1.1 (short), on full single 1.15
  assert.ok(Math.abs(ac.difference - (0.2 / 1.1) * full.single[0]) < 1e-12);
  assert.equal(cells.cells[0][1]?.source, 'measured');
  assert.equal(agreement.epochs, 8);
  assert.ok(agreement.cells >= 3);
  const { cells: filled } = fillCells(full, () => ({ gain: 0.5, se: 0.1 }));
  assert.equal(filled.cells[0][1]?.source, 'measured', 'a measurement is never replaced');
  assert.deepEqual(filled.cells[0][1], full.cells[0][1], 'nor combined before the calibration is checked');
  assert.equal(filled.cells[0][2]?.difference, 0.5 * full.single[0]);
});

/** Four tasks, every single loss 1, each directed cell at gain(i, j) with standard error `se`, except `untrained`. */
function pairCells(gain: (i: number, j: number) => number, se: number, untrained: number[] = []): PairCells {
  return {
    taskCount: 4,
    single: [1, 1, 1, 1],
    noise: [se, se, se, se].map((x) => x * Math.SQRT2),
    cells: Array.from({ length: 4 }, (_, i) =>
      Array.from({ length: 4 }, (_, j) =>
        i === j || (untrained.includes(i) && untrained.includes(j))
          ? null
          : { difference: gain(i, j), se, seeds: 2, seedSd: se * Math.SQRT2, source: 'measured' as const },
      ),
    ),
  };
}
const fullGain = (i: number, j: number): number => 0.1 * (i - j) + 0.02 * i * j;

test('short runs are calibrated to full training on the cells trained both ways, then weighed by their precision', () => {
  // short runs see every effect at 0.4 of its size, shifted by 0.05; a+d and d+a never trained in full
  const full = pairCells(fullGain, 0.01, [0, 3]);
  const short = pairCells((i, j) => 0.4 * fullGain(i, j) + 0.05, 0.001);
  const { cells, agreement } = approximatedCells(full, short, 8);
  assert.equal(agreement.cells, 10);
  assert.ok(Math.abs(agreement.slope - 2.5) < 1e-9 && Math.abs(agreement.intercept + 0.125) < 1e-9);
  assert.ok(agreement.error < 1e-12, 'a calibration that explains every cell has no error of its own');
  const ad = cells.cells[0][3];
  assert.ok(ad && ad.source === 'approximated' && Math.abs(ad.difference - fullGain(0, 3)) < 1e-9, 'calibrated');
  assert.equal(agreement.combined, 10);
  const ab = cells.cells[0][1];
  assert.ok(ab && ab.source === 'measured' && Math.abs(ab.difference - fullGain(0, 1)) < 1e-9);
  assert.ok(Math.abs(ab.se - (0.01 ** -2 + 0.0025 ** -2) ** -0.5) < 1e-9, 'the short runs sharpen the measurement');
});

test('short runs that rank the pairs backwards carry only their mean, and weigh little against full training', () => {
  const full = pairCells(fullGain, 0.01, [0, 3]);
  const short = pairCells((i, j) => -fullGain(i, j), 0.001);
  const { cells, agreement } = approximatedCells(full, short, 8);
  assert.ok(agreement.spearman < -0.9 && agreement.slope === 0 && agreement.error > 0.05);
  const ab = cells.cells[0][1];
  assert.ok(ab && Math.abs(ab.difference - fullGain(0, 1)) < 0.01 * Math.abs(fullGain(0, 1)) + 1e-3);
  assert.ok((cells.cells[0][3]?.se ?? 0) >= agreement.error, 'an approximated cell carries the calibration error');
});
