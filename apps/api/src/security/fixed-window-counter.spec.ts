import { FixedWindowCounter } from './fixed-window-counter';

describe('FixedWindowCounter', () => {
  it('allows `limit` events per key and window, then says how long to wait', () => {
    const counter = new FixedWindowCounter(2, 60_000);
    expect(counter.take('a', 0)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(counter.take('a', 1_000)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(counter.retryAfterSeconds('a', 1_000)).toBe(59);
    expect(counter.take('a', 30_500)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(counter.take('b', 30_500)).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it('starts a new window once the old one has ended', () => {
    const counter = new FixedWindowCounter(1, 60_000);
    counter.add('a', 0);
    expect(counter.retryAfterSeconds('a', 59_999)).toBe(1);
    expect(counter.retryAfterSeconds('a', 60_000)).toBe(0);
    expect(counter.take('a', 60_000)).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it('tracks at most maxKeys keys, dropping ended windows first and then the oldest', () => {
    const counter = new FixedWindowCounter(1, 60_000, 3);
    for (const key of ['a', 'b', 'c']) counter.add(key, 0);
    counter.add('d', 1_000);
    expect(counter.size).toBe(3);
    expect(counter.retryAfterSeconds('a', 1_000)).toBe(0);
    expect(counter.retryAfterSeconds('d', 1_000)).toBe(60);
    counter.add('e', 60_000);
    expect(counter.size).toBe(2);
  });
});
