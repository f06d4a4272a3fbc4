import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// src/vendor re-exports zod, @stdlib's t distribution, ml-hclust, Papa Parse and commander so that the build bundles each
// into one file (start-up): a value import of one elsewhere in src/ would load the unbundled package again, for zod make
// schemas of two zods, and for commander errors that cli/errors.ts does not recognise.

const root = new URL('../../../src/', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

test('zod, the t distribution, ml-hclust, papaparse and commander are imported (as values) only through src/vendor', () => {
  const files = sources(root).filter((file) => !file.includes('/vendor/'));
  assert.ok(files.length > 100, `${files.length} source files found`);
  const direct = files.filter((file) =>
    /^import (?!type )[^;]*from '(zod|@stdlib\/[^']+|ml-hclust|papaparse|commander)';/m.test(
      readFileSync(file, 'utf8'),
    ),
  );
  assert.deepEqual(direct, []);
});
