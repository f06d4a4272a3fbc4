/**
 * Ctrl-C and SIGTERM. Node runs a signal's listener on the event loop, so while one is installed a long synchronous
 * computation (a selection over 1000 tasks) holds the signal until it ends: tra would not stop. tra therefore keeps
 * node's default, which ends the process at once (exit 130 or 143 in the shell), and listens only while it trains.
 * Then the signal waits at most for the batch in training (runSweep turns the event loop after each), the listener says
 * how to resume and exits through process.exit, whose 'exit' hooks end the training commands' process groups
 * (engine/command/process.ts: they run detached, so a plain kill would leave them running) and release the folder's
 * lock (io/lock.ts). Killed outside training, tra leaves its lock, which the next run takes over as stale and which
 * then removes the temporary file of a write in progress, if any (io/write.ts): never a half-written file.
 */
const interrupted = (code: number) => () => {
  process.stderr.write('\ntra: interrupted; finished networks are in the journal, rerun the same command to resume\n');
  process.exit(code);
};
const LISTENERS = [
  ['SIGINT', interrupted(130)],
  ['SIGTERM', interrupted(143)],
] as const;

/** Trainings in progress in this process (a closed loop may train while a sweep is open). */
let training = 0;

/** Runs `body` (a sweep) with the listeners above installed; node's default holds again once no sweep runs. */
export async function whileTraining<T>(body: () => Promise<T>): Promise<T> {
  if (training++ === 0) for (const [signal, listener] of LISTENERS) process.on(signal, listener);
  try {
    return await body();
  } finally {
    if (--training === 0) for (const [signal, listener] of LISTENERS) process.off(signal, listener);
  }
}
