/**
 * The page script is bundled from ordinary modules (draw/, by scripts/report/bundle.mjs): these tests check in Node
 * that every section has its drawing and the bundle can be inlined and run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { DRAW } from '../../src/report/draw/index.js';
import { pageBundle } from '../../src/report/html/index.js';
import { SECTIONS } from '../../src/report/views/registry.js';
import type { Section } from '../../src/report/views/section.js';

const sections = SECTIONS as readonly Section[];

test('every section of the registry has a drawing in the page script, and nothing else has', () => {
  assert.deepEqual(Object.keys(DRAW).sort(), sections.map((s) => s.key).sort());
});

test('sections have distinct keys and files', () => {
  const keys = sections.map((s) => s.key);
  assert.equal(new Set(keys).size, keys.length);
  const files = sections.flatMap((s) => (s.file === undefined ? [] : [s.file]));
  assert.equal(new Set(files).size, files.length);
});

test('the bundled page script can be inlined, and runs: with no view data it draws nothing and logs nothing', () => {
  const script = pageBundle();
  assert.doesNotMatch(script, /<\/script|<!--/i);
  assert.ok(script.length < 200_000, `the page script stays lean (d3 tree-shaken): ${script.length} bytes`);
  for (const json of [undefined, '{}']) {
    const logged: unknown[] = [];
    const document = {
      getElementById: (id: string) => (id === 'report-data' && json !== undefined ? { textContent: json } : null),
    };
    runInNewContext(script, { document, console: { error: (...args: unknown[]) => logged.push(args) } });
    assert.deepEqual(logged, []);
  }
});
