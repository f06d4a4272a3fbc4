import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXIT, reportError } from '../../src/cli/errors.js';
import { InputError } from '../../src/data/errors.js';
import { TimeLimitReached } from '../../src/sweep/run.js';
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

test('a sweep stopped at --max-hours exits 3 (incomplete) with one line: what it trained, what is left, how to resume', async () => {
  const stopped = await captured(() => reportError(new TimeLimitReached(0.5, 512, 1024, 'reports/big/journal.jsonl')));
  assert.equal(stopped.value, EXIT.incomplete);
  assert.equal(
    stopped.stderr,
    'tra: stopped at --max-hours 0.5: trained 512 networks in this run, 1024 left to train (every finished network is in reports/big/journal.jsonl); rerun the same command to train the next 0.5 hour(s), or raise --max-hours\n',
  );
});
