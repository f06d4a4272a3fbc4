import { test } from 'node:test';
import assert from 'node:assert/strict';
import { killAndResume } from '../helpers/killResume.js';

test('a sweep SIGKILLed at random points and resumed ends with the matrix of an uninterrupted run, nothing lost or doubled', async () => {
  const outcome = await killAndResume(5, 16);
  assert.ok(outcome.kills >= 5, `killed ${outcome.kills} times before the sweep finished`);
  assert.ok(
    outcome.recordedAfterKill.filter((n) => n > 0 && n < outcome.networks).length >= 3,
    `most kills landed mid-sweep (records after each kill: ${outcome.recordedAfterKill})`,
  );
  assert.equal(outcome.ids.length, outcome.networks, 'every network of 16 seeds x 6 groups recorded');
  assert.equal(new Set(outcome.ids).size, outcome.ids.length, 'no network recorded twice');
  assert.ok(outcome.maxDifference < 1e-5, `matrix differs by ${outcome.maxDifference}`);
});
