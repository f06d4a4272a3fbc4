import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/files.js';

const child = fileURLToPath(new URL('../helpers/pageAtScale.js', import.meta.url));

/**
 * The page of a one-seed 1000-task sweep, made while the runner's affinity (eight T x T matrices, 65 MB) is held, fits
 * in 88 MB of heap (it needs 77-80): beside those matrices no copy of one. On main's build (16f53f5) the same child
 * fails at 112 and completes at 120: the page's linkage made the filled, symmetrised and negated copies of the group
 * score, affinityAsRead copied the NaN rows of the bounds and p-values, and the page held its rounded gains (seven
 * more matrices).
 */
test('the end step draws the page of a 1000-task sweep beside its matrices without copies of them', () => {
  const dir = tempDir();
  const run = spawnSync(process.execPath, ['--max-old-space-size=88', child, dir, '1000'], { encoding: 'utf8' });
  assert.equal(run.status, 0, `exit ${run.status ?? run.signal}: ${run.stderr.split('\n').slice(0, 3).join(' ')}`);
  assert.equal(run.stdout, '1000 tasks\n');
  assert.ok(existsSync(join(dir, 'index.html')));
});
