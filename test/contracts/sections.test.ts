/**
 * The report-section contract, checked for every entry of SECTIONS: a unique key with a drawing in DRAW, a title and
 * a navigation name; on a full report its data is there, its view and navigation link are on the page and its intro
 * escapes the data; a file section is absent from a sweep-only page, and its check refuses a malformed value naming
 * where it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/data/errors.js';
import { DRAW } from '../../src/report/draw/index.js';
import { renderReport, reportData } from '../../src/report/html/index.js';
import { SECTIONS } from '../../src/report/views/registry.js';
import type { Section } from '../../src/report/views/section.js';
import { fullInput, HOSTILE, sweepOnlyInput } from '../report/fixtures.js';

const full = fullInput();
const page = renderReport(full);
const sweepOnly = renderReport(sweepOnlyInput());

test('section keys are unique, and every section has a drawing', () => {
  const keys = SECTIONS.map((s) => s.key);
  assert.equal(new Set(keys).size, keys.length);
  assert.deepEqual(Object.keys(DRAW).sort(), [...keys].sort());
});

for (const section of SECTIONS as readonly Section[])
  test(`report section ${section.key}: drawn on a full report, escaped, ${section.file ? `absent without ${section.file}` : 'from affinity.json'}`, () => {
    assert.ok(section.title.trim() && section.nav.trim(), section.key);
    const data = (reportData(full) as Record<string, unknown>)[section.key];
    assert.ok(data !== undefined, `${section.key}: the full fixture gives it data`);
    assert.ok(page.includes(`id="view-${section.key}"`), `${section.key}: its view is on the page`);
    assert.ok(page.includes(`#section-${section.key}`), `${section.key}: its navigation link`);
    const intro = section.intro(data as never, full.affinity);
    assert.ok(!intro.includes(HOSTILE), `${section.key}: its intro escapes the data`);
    if (section.file === undefined) return;
    assert.ok(!sweepOnly.includes(`id="view-${section.key}"`), `${section.key}: not drawn without its file`);
    assert.throws(
      () => section.check(42, `${section.file}`),
      (e: unknown) => e instanceof InputError && e.message.startsWith(section.file as string),
      `${section.key}: a malformed value is an InputError naming ${section.file}`,
    );
  });
