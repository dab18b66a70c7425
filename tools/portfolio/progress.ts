/**
 * A progress bar on stderr: redrawn in place on a terminal, one line per tenth of the work
 * otherwise (CI logs, pipes), so a log never fills with carriage returns.
 */
const WIDTH = 28;

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastTenth = -1;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(done: number): void {
    const now = Date.now();
    if (this.tty) {
      if (done < this.total && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.line(done, now)}\u001b[K`);
      if (done >= this.total) this.stream.write('\n');
      return;
    }
    const tenth = this.total ? Math.floor((done / this.total) * 10) : 10;
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`${this.line(done, now)}\n`);
    }
  }

  private line(done: number, now: number): string {
    const share = this.total ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(share * WIDTH);
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (this.total - done) / rate : Infinity;
    const count = `${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')}`;
    return `${this.label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${count} ${String(Math.floor(share * 100)).padStart(3)}%  ${Math.round(rate).toLocaleString('en-US')} ${this.unit}/s  elapsed ${clock(seconds)}  ETA ${done >= this.total ? '0:00' : clock(eta)}`;
  }
}
