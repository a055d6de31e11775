/**
 * When an interval's scan of a source lists its tags. Branch heads are listed on every poll;
 * tags, created rarely and announced at once by lakeFS's post-create-tag hook where hooks are
 * installed, are listed at most once per `tagIntervalMs`, so a fast poll does not double the
 * calls to lakeFS. A full scan of a mirror (a branch moved, a hook, "scan now") lists them anyway.
 */
export class TagListingSchedule {
  private readonly listedAt = new Map<string, number>();
  /** Poll ticks drift a little: a listing this close to due counts as due, so a multiple of the poll interval is kept. */
  private readonly slack: number;

  constructor(
    private readonly tagIntervalMs: number,
    scanIntervalMs: number,
  ) {
    this.slack = Math.min(tagIntervalMs, scanIntervalMs) / 2;
  }

  /** Whether the scan of `source` at `now` (a monotonic clock's milliseconds) should list its tags. */
  due(source: string, now: number): boolean {
    const last = this.listedAt.get(source);
    return last === undefined || now - last >= this.tagIntervalMs - this.slack;
  }

  /** Records a successful listing of the tags of `source` at `now`. */
  listed(source: string, now: number): void {
    this.listedAt.set(source, now);
  }
}
