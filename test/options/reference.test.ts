import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { REFERENCE_FILE, referenceMarkdown } from '../../src/cli/reference.js';
import { commandGroups } from '../../src/options/index.js';
import { flagName } from '../../src/options/option.js';

test('docs/REFERENCE.md is the reference generated from the option declarations (npm run reference rewrites it)', async () => {
  const file = readFileSync(new URL(`../../../${REFERENCE_FILE}`, import.meta.url), 'utf8');
  assert.equal(file, await referenceMarkdown(), `${REFERENCE_FILE} is stale: run npm run reference`);
  for (const flag of commandGroups('group').flatMap((g) => Object.values(g.options).map(flagName)))
    assert.ok(file.includes(`\`${flag}`), `${flag} in the reference`);
});
