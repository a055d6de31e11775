/** What one LIST page of a bucket's folder showed: the keys present after `after` up to and including `through`, and when. */
export interface ListedWindow {
  bucket: string;
  folder: string;
  after: string;
  through: string;
  keys: ReadonlySet<string>;
  listedAt: number;
}

/** The longest a window answers for presence. */
const DEFAULT_MAX_AGE_MS = 2_000;

/** Windows kept at most (each up to one page of keys). */
const DEFAULT_MAX_WINDOWS = 32;

/**
 * The LIST pages of one bucket read in the last moments, so that checks of neighbouring keys share
 * one page: a backlog's commits each write their objects right after the previous commit's, and a
 * page read for one commit holds the next few commits' objects too. A window only ever answers
 * "all present"; a check that would find anything missing lists afresh, so a late object is never
 * taken as absent from an old page. Answering from a page at most `maxAgeMs` old is what a LIST
 * answer already is: the state of the bucket when it was read.
 */
export class RecentListings {
  private readonly windows: ListedWindow[] = [];
  private readonly pending = new Set<{ bucket: string; folder: string; after: string; done: Promise<unknown> }>();

  constructor(
    private readonly maxAgeMs = DEFAULT_MAX_AGE_MS,
    private readonly maxWindows = DEFAULT_MAX_WINDOWS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * True when a recent window holds every one of `keys` (sorted, all in `folder` of `bucket`). A listing of
   * the folder still under way from before the first key is waited for first: checks that start
   * together share it instead of each sending their own.
   */
  async allPresent(bucket: string, folder: string, keys: readonly string[]): Promise<boolean> {
    const first = keys[0];
    const last = keys[keys.length - 1];
    const sameFolder = (w: { bucket: string; folder: string }) => w.bucket === bucket && w.folder === folder;
    const underWay = [...this.pending].filter((p) => sameFolder(p) && p.after < first);
    await Promise.all(underWay.map((p) => p.done.catch(() => undefined)));
    const oldest = this.now() - this.maxAgeMs;
    const window = this.windows.find((w) => sameFolder(w) && w.listedAt >= oldest && w.after < first && last <= w.through);
    return window !== undefined && keys.every((key) => window.keys.has(key));
  }

  /** Runs the first LIST page of a bucket's folder from `after`, so that checks starting meanwhile wait for it; keeps what it showed. */
  async listing<T>(bucket: string, folder: string, after: string, list: () => Promise<{ keys: string[]; result: T }>): Promise<T> {
    const listedAt = this.now();
    const done = list();
    const entry = { bucket, folder, after, done };
    this.pending.add(entry);
    try {
      const { keys, result } = await done;
      if (keys.length > 0) this.keep({ bucket, folder, after, through: keys[keys.length - 1], keys: new Set(keys), listedAt });
      return result;
    } finally {
      this.pending.delete(entry);
    }
  }

  private keep(window: ListedWindow): void {
    this.windows.unshift(window);
    if (this.windows.length > this.maxWindows) this.windows.length = this.maxWindows;
  }
}
