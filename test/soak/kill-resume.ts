/**
 * Soak: SIGKILL a sweep many times at random points, resume it each time, and compare with an uninterrupted run.
 * usage: npm run soak -- [kills=50] [seeds=60]
 */
import { killAndResume } from '../helpers/killResume.js';

const kills = Number(process.argv[2] ?? 50);
const seeds = Number(process.argv[3] ?? 60);
const outcome = await killAndResume(kills, seeds, Date.now() % 100000);
const duplicates = outcome.ids.length - new Set(outcome.ids).size;
const missing = outcome.networks - new Set(outcome.ids).size;
process.stdout.write(
  `survived ${outcome.kills} SIGKILLs (records after each: ${outcome.recordedAfterKill.join(' ')}); ${outcome.networks} networks, ${duplicates} duplicated, ${missing} missing; max matrix difference ${outcome.maxDifference.toExponential(2)}\n`,
);
process.exitCode = duplicates === 0 && missing === 0 && outcome.maxDifference < 1e-5 ? 0 : 1;
