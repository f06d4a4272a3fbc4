/**
 * The hostile-input tables (one file per kind in this folder, see test/helpers/hostile.ts) counted together: each
 * table's kind is its file name, names are unique, and every kind the guide promises is covered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countOnly, type HostileCase } from '../helpers/hostile.js';

/** Every kind that must have cases, and the least number of cases in all. */
const KINDS = [
  'csv',
  'flags',
  'definition',
  'output',
  'journal',
  'import',
  'queue',
  'filesystem',
  'user-code',
  'numbers',
  'command',
];
const AT_LEAST = 400;

test('the hostile-input tables cover every kind of input', async () => {
  countOnly();
  const folder = dirname(fileURLToPath(import.meta.url));
  const counts: Record<string, number> = {};
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.test.js') && f !== 'coverage.test.js')) {
    const table = (await import(`./${file}`)) as { kind: string; cases: HostileCase[] };
    assert.equal(`${table.kind}.test.js`, file, `${file} exports the kind of its name`);
    const names = table.cases.map((c) => c.name);
    assert.deepEqual([...new Set(names)], names, `${file}: case names are unique`);
    counts[table.kind] = table.cases.length;
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stdout.write(`# hostile cases by kind: ${JSON.stringify(counts)} (${total} in all)\n`);
  assert.ok(total >= AT_LEAST, `${total} cases, at least ${AT_LEAST}`);
  for (const kind of KINDS) assert.ok((counts[kind] ?? 0) >= 3, `at least 3 ${kind} cases`);
});
