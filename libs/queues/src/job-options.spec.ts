import { RetrySettings, backoffDelay } from '@lakemirror/config';
import { CAPPED_BACKOFF, defaultJobOptions } from './job-options';

describe('defaultJobOptions', () => {
  it('retries with the capped backoff and bounds what finished jobs keep in Redis', () => {
    expect(defaultJobOptions({ attempts: 12, baseMs: 1, capMs: 2 })).toEqual({
      attempts: 12,
      backoff: { type: 'capped-jittered-exponential' },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 86400, count: 5000 },
    });
  });
});

describe('the pipeline retry timing (config backoffDelay with the pipeline defaults)', () => {
  // The defaults of LAKEMIRROR_RETRY_BASE_MS and LAKEMIRROR_RETRY_CAP_MS.
  const retry: RetrySettings = { attempts: 20, baseMs: 500, capMs: 30_000 };

  it('keeps its backoff type name, which BullMQ stores with every job', () => {
    expect(CAPPED_BACKOFF).toBe('capped-jittered-exponential');
  });

  it('waits 250-500 ms after the first failure and at most 30 s however many attempts were made', () => {
    expect(backoffDelay(1, retry, () => 0)).toBe(250);
    expect(backoffDelay(1, retry, () => 0.999_999)).toBe(500);
    for (const attempts of [7, 8, 20, 1_000]) expect(backoffDelay(attempts, retry, () => 0.999_999)).toBe(30_000);
    expect(backoffDelay(1_000, retry, () => 0)).toBe(15_000);
  });
});
