import type { Worker } from 'node:worker_threads';

/**
 * For a promise that waits on a worker thread: the first of its outcomes (an answer, an error, a timeout, the thread's
 * exit) settles it; the timer (read when settling, as it may have been replaced) is cleared and the thread ended.
 */
export function settleOnce(worker: Worker, timer: () => NodeJS.Timeout | undefined): (action: () => void) => void {
  let settled = false;
  return (action) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer());
    action();
    void worker.terminate();
  };
}
