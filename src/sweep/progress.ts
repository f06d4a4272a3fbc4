/** In a log (stderr not a terminal), a progress line at most this often: a long run shows it is alive, a short one stays short. */
const LOG_INTERVAL_MS = 30_000;

/** A line that the next one replaces, on a terminal; nothing in a log. */
export function transientLine(text: string, stream: NodeJS.WriteStream = process.stderr): void {
  if (stream.isTTY) stream.write(`\r${text}\x1b[K`);
}

/** Clears a transient line before a line that stays. */
export function clearLine(stream: NodeJS.WriteStream = process.stderr): void {
  if (stream.isTTY) stream.write('\r\x1b[K');
}

/** A progress bar's label (default 'sweep'); transient: the caller prints the phase's summary line instead of the bar's last state. */
export interface ProgressBar {
  label?: string;
  transient?: boolean;
}

/**
 * Progress with an ETA on stderr: a redrawn bar on a terminal, a line every 30 s in logs. A transient bar leaves
 * nothing behind when it finishes: the phase that owns it prints its own one-line summary.
 */
export class Progress {
  private done = 0;
  private readonly started = Date.now();
  private lastLine = Date.now();

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
    private readonly transient = false,
    /** Seconds left for `left` units, from measured durations; default: elapsed time extrapolated by the share done. */
    private readonly etaOf?: (left: number) => number,
  ) {}

  advance(units: number, detail: string): void {
    this.done += units;
    if (this.quiet) return;
    const now = Date.now();
    const finished = this.done >= this.total;
    if (finished && this.transient) {
      clearLine(this.stream);
      return;
    }
    if (!this.stream.isTTY && !finished && now - this.lastLine < LOG_INTERVAL_MS) return;
    this.lastLine = now;
    const share = this.total === 0 ? 1 : this.done / this.total;
    const elapsed = (now - this.started) / 1000;
    const eta = this.etaOf
      ? this.etaOf(this.total - this.done)
      : share > 0
        ? (elapsed * (1 - share)) / share
        : Number.NaN;
    const width = 24;
    const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
    const text = `${this.label} ${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${formatSeconds(elapsed)} elapsed, ETA ${formatSeconds(eta)}  ${detail}`;
    if (this.stream.isTTY) this.stream.write(`\r${text}\x1b[K${finished ? '\n' : ''}`);
    else this.stream.write(`${text}\n`);
  }
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
