/**
 * Counts events per key in fixed windows (e.g. failed logins per client per minute), in memory.
 * Memory is bounded: at most `maxKeys` keys are tracked; expired windows are dropped as new ones
 * start, and when every slot is taken the oldest window is forgotten first.
 */
export class FixedWindowCounter {
  // Insertion order is window-start order: a key whose window restarts is moved to the end.
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Seconds until `key` is under its limit again; 0 when it is under it now. */
  retryAfterSeconds(key: string, now = Date.now()): number {
    const window = this.windows.get(key);
    if (!window || window.endsAt <= now || window.count < this.limit) return 0;
    return Math.max(1, Math.ceil((window.endsAt - now) / 1000));
  }

  /** Counts one event for `key`; returns how many it has had in its current window. */
  add(key: string, now = Date.now()): number {
    this.dropExpired(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
      window = { count: 0, endsAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count;
  }

  /** Counts one event and says whether it is within the limit (and if not, when to retry). */
  take(key: string, now = Date.now()): { allowed: boolean; retryAfterSeconds: number } {
    const count = this.add(key, now);
    return count <= this.limit ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: this.retryAfterSeconds(key, now) };
  }

  /** How many keys are tracked (for tests of the memory bound). */
  get size(): number {
    return this.windows.size;
  }

  private dropExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.endsAt > now) return;
      this.windows.delete(key);
    }
  }
}
