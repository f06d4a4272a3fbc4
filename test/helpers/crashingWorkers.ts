/**
 * Preloaded with `node --import` into a tra process, and so into each of its worker threads: the first
 * TRA_TEST_WORKER_CRASHES worker threads exit with code 137 as they start, after their chunk was posted to them (as a
 * thread killed mid-job). It does not listen for the chunk itself: a listener would take the message before the
 * worker's own module is loaded. Crashes are counted with files in TRA_TEST_CRASH_DIR, created exclusively so that
 * concurrent threads agree.
 */
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const crashes = Number(process.env.TRA_TEST_WORKER_CRASHES ?? 0);
const dir = process.env.TRA_TEST_CRASH_DIR;
if (!isMainThread && dir)
  for (let k = 0; k < crashes; k++) {
    try {
      openSync(join(dir, `crash-${k}`), 'wx');
    } catch {
      continue; // that crash was spent by another thread
    }
    process.exit(137);
  }
