/**
 * A progress bar on stderr for the demo's longer steps: redrawn in place on a terminal, a line
 * at each quarter otherwise (CI logs, pipes), so the output stays short either way.
 */
export class Progress {
  private label = '';
  private total = 0;
  private done = 0;
  private started = 0;
  private lastQuarter = -1;
  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {}

  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.done = 0;
    this.started = Date.now();
    this.lastQuarter = -1;
    this.draw();
  }

  tick(n = 1): void {
    this.done += n;
    this.draw();
  }

  finish(note = ''): void {
    this.done = this.total;
    this.draw(true, note);
  }

  private draw(final = false, note = ''): void {
    if (this.quiet) return;
    const fraction = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    if (this.out.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const line = `  ${this.label.padEnd(24)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(this.done).padStart(5)}/${this.total}  ${seconds}s ${note}`;
      this.out.write(`\r${line}${final ? '\n' : ''}`);
      return;
    }
    const quarter = Math.floor(fraction * 4);
    // The last line once: a finish after the count reached the total adds only its note, if any.
    if (quarter > this.lastQuarter || (final && note)) {
      this.lastQuarter = quarter;
      this.out.write(`  ${this.label}: ${this.done}/${this.total} (${Math.round(fraction * 100)}%) ${seconds}s ${note}\n`);
    }
  }
}
