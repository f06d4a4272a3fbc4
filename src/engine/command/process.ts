import { closeSync, openSync, writeSync } from 'node:fs';

/** One launch of a training command. */
export interface ProcessRequest {
  argv: string[];
  cwd: string;
  /** Added to this process's environment. */
  env: Record<string, string>;
  /** The command's output (stdout and stderr, interleaved) is appended here. */
  logPath: string;
  /** The process group is ended after this long (Infinity: never). */
  timeoutMs: number;
}

export interface ProcessOutcome {
  /** The exit code, when the process exited by itself. */
  exitCode?: number;
  /** The signal that ended it, when one did. */
  signal?: string;
  timedOut: boolean;
  /** Why it could not start (e.g. the program does not exist). */
  startError?: string;
  seconds: number;
  /** The last lines of its output, for an error message. */
  tail: string[];
}

/** A log keeps the first LOG_CAP bytes of each attempt's output (a command printing without end cannot fill the disk). */
export const LOG_CAP = 8 * 1024 * 1024;
/** Lines of output an error message quotes. */
export const TAIL_LINES = 12;
/** Between asking a process group to stop (SIGTERM) and ending it (SIGKILL). */
export const KILL_GRACE_MS = 5000;

/** Process groups of commands still running: ended when tra exits for any reason (Ctrl-C included). */
const running = new Set<number>();
let exitHook = false;

const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
};

function endGroupsOnExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const pid of running) signalGroup(pid, 'SIGKILL');
  });
}

/**
 * Runs a command without a shell, in a process group of its own, so that a timeout or tra's exit (Ctrl-C included)
 * ends the command and every process it started (data-loader workers, say). Output goes to the log as it comes, never into memory beyond
 * its last lines; the outcome is returned, not thrown: the caller decides what a failure means.
 */
export async function runProcess(request: ProcessRequest): Promise<ProcessOutcome> {
  // loaded with the first launch: every sweep imports this module, and execa's 107 files cost a native sweep's start
  // 60 ms of CPU (load 13) for nothing
  const { execa } = await import('execa');
  endGroupsOnExit();
  const started = Date.now();
  const log = openSync(request.logPath, 'a');
  const tail = new Tail();
  let written = 0;
  let dropped = 0;
  const write = (text: string): void => void writeSync(log, text);
  write(`=== tra: ${new Date().toISOString()} ${JSON.stringify(request.argv)}\n`);
  const child = execa(request.argv[0], request.argv.slice(1), {
    cwd: request.cwd,
    env: request.env,
    extendEnv: true,
    detached: true,
    stdin: 'ignore',
    all: true,
    buffer: false,
    reject: false,
    stripFinalNewline: false,
    encoding: 'buffer',
  });
  const pid = child.pid;
  if (pid !== undefined) running.add(pid);
  child.all?.on('data', (chunk: Buffer) => {
    tail.push(chunk);
    const room = Math.max(0, LOG_CAP - written);
    if (room > 0) writeSync(log, chunk, 0, Math.min(room, chunk.length));
    written += Math.min(room, chunk.length);
    dropped += Math.max(0, chunk.length - room);
  });
  let timedOut = false;
  const timer = Number.isFinite(request.timeoutMs)
    ? setTimeout(() => {
        timedOut = true;
        if (pid === undefined) return;
        signalGroup(pid, 'SIGTERM');
        setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref();
      }, request.timeoutMs)
    : undefined;
  const result = await child;
  clearTimeout(timer);
  if (pid !== undefined) {
    // what the command left running in its group (a forgotten background process) ends with it
    signalGroup(pid, 'SIGKILL');
    running.delete(pid);
  }
  if (dropped > 0) write(`\n=== tra: ${dropped} more bytes of output dropped (the log keeps the first ${LOG_CAP})\n`);
  const seconds = (Date.now() - started) / 1000;
  const startError = result.failed && result.exitCode === undefined && !result.signal ? result.shortMessage : undefined;
  write(
    `\n=== tra: ${startError ? `could not start: ${startError}` : result.signal ? `ended by ${result.signal}` : `exit code ${result.exitCode}`} after ${seconds.toFixed(1)} s${timedOut ? ' (timeout)' : ''}\n`,
  );
  closeSync(log);
  return {
    ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
    ...(result.signal ? { signal: result.signal } : {}),
    timedOut,
    ...(startError ? { startError } : {}),
    seconds,
    tail: tail.lines(),
  };
}

/** The last TAIL_LINES lines of a stream, kept in a bounded buffer. */
class Tail {
  private text = '';
  push(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-16 * 1024);
  }
  lines(): string[] {
    return this.text
      .split('\n')
      .map((line) => line.slice(0, 400).trimEnd())
      .filter((line) => line !== '')
      .slice(-TAIL_LINES);
  }
}
