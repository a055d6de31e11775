import { cappedBackoffDelay, defaultJobOptions } from './job-options';

describe('cappedBackoffDelay', () => {
  const settings = { baseMs: 500, capMs: 30_000 };

  it('doubles from the base, between half and all of the ceiling', () => {
    expect(cappedBackoffDelay(1, settings, () => 0)).toBe(250);
    expect(cappedBackoffDelay(1, settings, () => 1)).toBe(500);
    expect(cappedBackoffDelay(3, settings, () => 1)).toBe(2_000);
    expect(cappedBackoffDelay(3, settings, () => 0.5)).toBe(1_500);
  });

  it('never exceeds the cap, however many attempts were made', () => {
    for (const attempts of [7, 8, 20, 1_000]) expect(cappedBackoffDelay(attempts, settings, () => 1)).toBe(30_000);
    expect(cappedBackoffDelay(1_000, settings, () => 0)).toBe(15_000);
  });

  it('jitters: different random draws give different delays', () => {
    const delays = new Set([0.1, 0.4, 0.9].map((r) => cappedBackoffDelay(5, settings, () => r)));
    expect(delays.size).toBe(3);
  });
});

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
