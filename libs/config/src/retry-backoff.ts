/** How a failed call or job is retried: how many tries in all, and the backoff between them. */
export interface RetrySettings {
  /** Total tries, including the first. */
  attempts: number;
  /** Ceiling of the delay before the first retry, in milliseconds; it doubles with each retry. */
  baseMs: number;
  /** The ceiling never grows past this many milliseconds. */
  capMs: number;
}

// 2^1024 is Infinity in floating point, and 0 × Infinity is NaN: stop doubling well before.
const MAX_EXPONENT = 1_000;

/**
 * Delay in milliseconds before retry number `attempt` (1 = the retry after the first failure), "half
 * jitter": with ceiling = min(capMs, baseMs × 2^(attempt − 1)), a uniformly random whole number of
 * milliseconds between ceiling / 2 and ceiling. The fixed half keeps retries backing off; the random
 * half spreads many callers retrying at once. `attempt` below 1 counts as 1; `random` returns a
 * number in [0, 1) and is injectable for tests.
 */
export function backoffDelay(attempt: number, settings: Pick<RetrySettings, 'baseMs' | 'capMs'>, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, MAX_EXPONENT);
  const ceiling = Math.min(settings.capMs, settings.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
