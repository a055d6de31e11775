import { backoffDelayMs } from './retry-policy';

describe('backoffDelayMs', () => {
  const policy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles the ceiling with each retry up to the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(policy, retry, () => 0.999999));
    expect(ceilings).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('spreads delays over the whole window (full jitter)', () => {
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(200);
  });
});
