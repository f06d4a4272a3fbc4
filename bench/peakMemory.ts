/**
 * Preloaded into a benchmarked `tra` process (`node --import dist/bench/peakMemory.js ...`): on exit, its peak resident
 * memory (kB, worker threads and the native trainer's threads included: they share the process) is appended to the
 * file named by TRA_BENCH_PEAK_FILE. A file rather than stdout, so that the command's own output stays as it is.
 */
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.TRA_BENCH_PEAK_FILE;
if (file && isMainThread)
  process.on('exit', () => appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`));
