/** A one-line progress bar on a terminal; one line per 10% step otherwise (logs, CI). */
export class Progress {
  private lastDecile = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  update(done: number): void {
    if (this.out.isTTY) {
      this.out.write(`\r  ${render(this.label, done, this.total)}`);
      if (done >= this.total) this.out.write('\n');
      return;
    }
    const decile = Math.floor((10 * done) / Math.max(this.total, 1));
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(`  ${render(this.label, done, this.total)}\n`);
    }
  }
}

/** "label [#####-----] 5/10" */
export function render(label: string, done: number, total: number, width = 24): string {
  const filled = total === 0 ? width : Math.round((width * Math.min(done, total)) / total);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}
