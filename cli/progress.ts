const MIB = 1024 * 1024;

/** A one-line progress bar on stderr, redrawn at most a few times a second. */
export class Progress {
  private readonly total: number;
  private readonly verb: string;
  private last = 0;

  /** `verb` starts the line: `validating`, `uploading`. */
  constructor(total: number, verb: string) {
    this.total = total;
    this.verb = verb;
  }

  update(bytes: number): void {
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const fraction = this.total > 0 ? Math.min(1, bytes / this.total) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const mib = (n: number): string => (n / MIB).toFixed(1);
    process.stderr.write(
      `\r${this.verb} [${bar}] ${Math.floor(fraction * 100)}% (${mib(bytes)} of ${mib(this.total)} MiB)`,
    );
  }

  clear(): void {
    if (this.last > 0) process.stderr.write('\r\x1b[2K');
  }
}
