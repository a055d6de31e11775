import type { RetrySettings } from '@lakemirror/config';
import type { JobsOptions } from 'bullmq';

/**
 * Name of the pipeline's BullMQ backoff type. A worker's backoffStrategy gives it config's
 * backoffDelay(attemptsMade, retry): half-jittered exponential, capped. Jitter spreads retries of many
 * chunks waiting for the same replication; the cap keeps a late object noticed within a bounded time.
 */
export const CAPPED_BACKOFF = 'capped-jittered-exponential';

/** Defaults of every pipeline job: retries with the capped backoff; finished jobs kept a while for Bull Board, bounded. */
export function defaultJobOptions(retry: RetrySettings): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: CAPPED_BACKOFF },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 24 * 3600, count: 5000 },
  };
}
