import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeMissing } from '../helpers/backend.js';
import { tempDir, validCsv, writeTemp } from '../helpers/files.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const hook = fileURLToPath(new URL('../helpers/loadedModules.js', import.meta.url));

/**
 * Modules a native sweep never calls, which its start-up (issue 32: below 0.5 s) must not load: each is loaded where
 * its feature is first used, or comes bundled from src/vendor.
 */
const NEVER_LOADED: Record<string, RegExp> = {
  'tfjs (a tfjs backend or a user model only)': /node_modules\/@tensorflow\//,
  'an allocation (analysis/allocate.ts)': /dist\/src\/(allocation\/|analysis\/allocate\.js)/,
  "grouping's budget curve, clustering and early stopping": /dist\/src\/grouping\/(curve|cluster|earlyStopping)\.js/,
  'the gain predictor': /dist\/src\/affinity\/predictor\//,
  "a training command's sweep, plan, launch and result check":
    /dist\/src\/(sweep\/command(Sweep|Plan)|engine\/command\/(network|process)|data\/resultFile)\.js/,
  'imported losses (tra import)': /dist\/src\/(sweep\/imported|data\/lossFile)\.js/,
  Louvain: /node_modules\/graphology-communities-louvain\//,
  'ml-hclust and ml-matrix unbundled (src/vendor/hclust.ts)': /node_modules\/(ml-hclust|ml-matrix)\//,
  'Papa Parse unbundled (src/vendor/papaparse.ts)': /node_modules\/papaparse\//,
  'commander unbundled (src/vendor/commander.ts)': /node_modules\/commander\//,
};

test('a native sweep loads none of the modules it never calls', { skip: nativeMissing() }, () => {
  const out = tempDir();
  const list = join(tempDir(), 'loaded.txt');
  const csv = writeTemp('d.csv', validCsv());
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      hook,
      cli,
      'sweep',
      '--data',
      csv,
      '--tasks',
      'last:3',
      '--epochs',
      '2',
      '--backend',
      'native',
      '--out',
      out,
    ],
    { encoding: 'utf8', env: { ...process.env, TRA_TEST_LOADED_MODULES: list } },
  );
  assert.equal(run.status, 0, run.stderr);
  const loaded = readFileSync(list, 'utf8').split('\n');
  // the hook sees the sweep's own modules, so an empty list cannot pass for a clean one
  assert.ok(
    loaded.some((file) => file.endsWith('dist/src/analysis/pairwise.js')),
    `${loaded.length} modules`,
  );
  assert.ok(
    loaded.some((file) => file.endsWith('trainer.node')),
    'the native trainer trained',
  );
  const unwanted = Object.entries(NEVER_LOADED).flatMap(([what, pattern]) => {
    const files = loaded.filter((file) => pattern.test(file));
    return files.length ? [`${what}: ${files.join(', ')}`] : [];
  });
  assert.deepEqual(unwanted, []);
});
