/**
 * Label collisions: the oriented-box geometry in Node, then every figure of the page in Chromium on fixtures of 3, 14
 * and 174 tasks (every section present), and a planted collision the checker must find.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { overlapDepth, overlappingPairs, type LabelBox } from '../../src/report/draw/overlaps.js';
import { writeReport, type ReportInput } from '../../src/report/html/index.js';
import { labelProblems } from '../../src/report/labels.js';
import { tempDir } from '../helpers/files.js';
import { assertLabelsClear, launchChromium, openFile } from './chromium.js';
import { emotionsTaxonomyInput, fullInput } from './fixtures.js';

/** An axis-aligned box [x, y, width, height] rotated by `degrees` about its top-left corner. */
function box(x: number, y: number, w: number, h: number, degrees = 0): [number, number][] {
  const r = (degrees * Math.PI) / 180;
  const at = (dx: number, dy: number): [number, number] => [
    x + dx * Math.cos(r) - dy * Math.sin(r),
    y + dx * Math.sin(r) + dy * Math.cos(r),
  ];
  return [at(0, 0), at(w, 0), at(w, h), at(0, h)];
}

test('oriented boxes: overlap depth is the smallest projection overlap; separated and touching boxes do not overlap', () => {
  assert.equal(overlapDepth(box(0, 0, 10, 10), box(7, 2, 10, 10)), 3);
  assert.ok(overlapDepth(box(0, 0, 10, 10), box(10, 0, 10, 10)) <= 0, 'touching edges');
  assert.ok(overlapDepth(box(0, 0, 10, 10), box(0, 12, 10, 10)) < 0, 'one above the other');
  // Two labels rotated -45° and 16 px apart along x: their axis-aligned boxes overlap, the labels do not.
  const a = box(0, 0, 60, 10, -45);
  const b = box(16, 0, 60, 10, -45);
  assert.ok(overlapDepth(a, b) <= 0, 'rotated neighbours clear of each other');
  assert.ok(overlapDepth(box(0, 0, 60, 10, -45), box(5, 0, 60, 10, -45)) > 0, 'rotated labels 5 px apart collide');
});

test('overlapping pairs: found within a figure only, above the anti-aliasing tolerance', () => {
  const label = (text: string, figure: string, x: number): LabelBox => ({ text, figure, corners: box(x, 0, 20, 10) });
  const found = overlappingPairs([
    label('a', 'f', 0),
    label('b', 'f', 15),
    label('c', 'g', 5),
    label('d', 'f', 34.5),
    label('e', 'f', 60),
  ]);
  assert.deepEqual(
    found.map((o) => [o.a, o.b, o.depth]),
    [['a', 'b', 5]],
    'b and d touch within the tolerance; c is in another figure',
  );
});

let browser: Browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

const cases: [string, () => ReportInput][] = [
  ...[3, 14, 174].map((T): [string, () => ReportInput] => [`${T} tasks, every section`, () => fullInput(T)]),
  ['the emotions taxonomy (its edge labels overlapped)', emotionsTaxonomyInput],
];
for (const [name, input] of cases)
  test(`no two labels overlap in any figure of the page: ${name}`, async () => {
    const { page } = await openFile(browser, writeReport(tempDir(), input()));
    try {
      await assertLabelsClear(page);
    } finally {
      await page.close();
    }
  });

test('the checker finds a planted collision and a label cut off at the edge of its figure', async () => {
  const page = await browser.newPage();
  try {
    await page.setContent(`<svg id="planted" width="200" height="100">
      <text x="10" y="20">first label</text><text x="30" y="24">second label</text>
      <text x="150" y="60">cut off at the edge</text><text x="10" y="80" style="display:none">hidden label</text>
    </svg>`);
    const { overlaps, outside } = await labelProblems(page);
    assert.deepEqual(
      overlaps.map((o) => [o.figure, o.a, o.b]),
      [['planted', 'first label', 'second label']],
    );
    assert.deepEqual(
      outside.map((o) => [o.figure, o.text]),
      [['planted', 'cut off at the edge']],
    );
  } finally {
    await page.close();
  }
});
