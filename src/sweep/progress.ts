/** Progress with an ETA on stderr: a redrawn bar on a terminal, a line every few seconds in logs. */
export class Progress {
  private done = 0;
  private readonly started = Date.now();
  private lastLine = 0;

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {}

  advance(units: number, detail: string): void {
    this.done += units;
    if (this.quiet) return;
    const now = Date.now();
    const finished = this.done >= this.total;
    if (!this.stream.isTTY && !finished && now - this.lastLine < 10_000) return;
    this.lastLine = now;
    const share = this.total === 0 ? 1 : this.done / this.total;
    const elapsed = (now - this.started) / 1000;
    const eta = share > 0 ? (elapsed * (1 - share)) / share : NaN;
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
