import type { JobsOptions } from 'bullmq';

/** Retry timing of the pipeline's jobs: exponential from `baseMs`, capped at `capMs`, fully jittered. */
export interface RetrySettings {
  attempts: number;
  baseMs: number;
  capMs: number;
}

export const CAPPED_BACKOFF = 'capped-jittered-exponential';

/**
 * Delay before retry number `attemptsMade` (1 after the first failure): a random point between
 * half and all of min(cap, base * 2^(attemptsMade - 1)). Jitter spreads retries of many chunks
 * waiting for the same replication; the cap keeps a late object noticed within a bounded time.
 */
export function cappedBackoffDelay(attemptsMade: number, settings: Pick<RetrySettings, 'baseMs' | 'capMs'>, random = Math.random): number {
  const exponent = Math.min(Math.max(attemptsMade, 1) - 1, 30);
  const ceiling = Math.min(settings.capMs, settings.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Defaults of every pipeline job: retries with the capped backoff; finished jobs kept a while for Bull Board, bounded. */
export function defaultJobOptions(retry: RetrySettings): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: CAPPED_BACKOFF },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 24 * 3600, count: 5000 },
  };
}
