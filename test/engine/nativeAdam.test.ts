import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNativeTrainer } from '../../src/engine/native.js';
import { nativeMissing } from '../helpers/backend.js';

// On AVX-512 the native trainer may take Adam's square root in software (native/trainer.cc, sqrtRounded): it must give
// the hardware's bits for every input, or a sweep's numbers would depend on the CPU that ran it.

const withoutAvx512 = (): string | false => {
  const missing = nativeMissing();
  if (missing) return missing;
  const trainer = loadNativeTrainer();
  return typeof trainer !== 'string' && !trainer.checkAdam ? 'the native trainer was built without AVX-512' : false;
};

test("Adam's software square root and pass give the hardware's bits: every float, random states", {
  skip: withoutAvx512(),
}, () => {
  const trainer = loadNativeTrainer();
  if (typeof trainer === 'string' || !trainer.checkAdam) throw new Error('unreachable: skipped');
  const check = trainer.checkAdam();
  assert.equal(check.sqrtMismatches, 0);
  // the software path covers [2^-100, infinity): 0x7f800000 - 0x0d800000 of the 2^32 bit patterns
  assert.equal(check.sqrtSoftwareLanes, 0x7f800000 - 0x0d800000);
  assert.equal(check.adamMismatches, 0);
  assert.ok(check.adamValues > 100_000, `${check.adamValues} values compared`);
});
