/** tra's own networks start alike in every network of a seed (COMMON_START), and every artefact says so. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_START } from '../../src/engine/start.js';
import { assertCommonStart, journalRecords, tra } from '../helpers/command.js';
import { tempDir } from '../helpers/files.js';

/** 80 rows, three features, four binary tasks with different base rates. */
function csv(): string {
  const lines = ['f1,f2,f3,a,b,c,d'];
  for (let i = 0; i < 80; i++) {
    const f = [Math.sin(i), Math.cos(i * 1.7), ((i * 7) % 11) / 11];
    lines.push(
      [...f.map((v) => v.toFixed(4)), f[0] > 0 ? 1 : 0, f[1] > 0.5 ? 1 : 0, f[2] > 0.8 ? 1 : 0, i % 3 ? 1 : 0].join(
        ',',
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

test("the built-in networks at a learning rate near 0: every task's losses in a pair equal its losses alone, and affinity.json records the start", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'data.csv'), csv());
  const out = join(dir, 'out');
  const run = await tra(dir, [
    'sweep',
    '--data',
    'data.csv',
    '--tasks',
    'last:4',
    '--seeds',
    '2',
    '--epochs',
    '2',
    '--lr',
    '1e-9',
    '--split',
    'holdout',
    '--out',
    out,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assertCommonStart(journalRecords(out), 1e-5);
  const affinity = JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8'));
  assert.equal(affinity.provenance.initialisation, COMMON_START);
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /one head copied to every task/);
});
