import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXIT, reportError } from '../../src/cli/errors.js';
import { InputError } from '../../src/data/errors.js';
import { captured } from '../helpers/hostile.js';

test('an internal error (a bug) exits 70 with its own stack, marked as a bug in tra rather than in the input', async () => {
  const bug = await captured(() =>
    reportError(new TypeError("Cannot read properties of undefined (reading 'testLoss')")),
  );
  assert.equal(bug.value, EXIT.internal);
  assert.match(bug.stderr, /^tra: internal error \(a bug in tra, not in your input; please report it/);
  assert.match(
    bug.stderr,
    /TypeError: Cannot read properties of undefined[\s\S]*errors\.test\.js/,
    'the trace starts where the bug is',
  );
  const input = await captured(() => reportError(new InputError('x')));
  assert.equal(input.value, EXIT.input);
  assert.equal(input.stderr, 'tra: x\n');
});
