import { backoffDelay } from './retry-backoff';

describe('backoffDelay', () => {
  const settings = { baseMs: 100, capMs: 1_000 };
  const lowest = () => 0;
  const highest = () => 0.999_999;

  it('waits between half and all of the base before the first retry', () => {
    expect(backoffDelay(1, settings, lowest)).toBe(50);
    expect(backoffDelay(1, settings, highest)).toBe(100);
  });

  it('counts an attempt below 1 as the first', () => {
    for (const attempt of [0, -1, -1_000]) expect(backoffDelay(attempt, settings, highest)).toBe(100);
  });

  it('doubles the ceiling with each retry until the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, settings, highest));
    expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    const floors = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, settings, lowest));
    expect(floors).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('keeps to the cap when the base alone exceeds it', () => {
    expect(backoffDelay(1, { baseMs: 5_000, capMs: 1_000 }, highest)).toBe(1_000);
  });

  it('stays a finite number within the cap for huge attempt counts', () => {
    for (const attempt of [31, 53, 1_024, 1_025, 1e6, Number.MAX_SAFE_INTEGER, Infinity]) {
      expect(backoffDelay(attempt, settings, highest)).toBe(1_000);
      expect(backoffDelay(attempt, settings, lowest)).toBe(500);
    }
    // 0 × 2^1024 would be NaN
    expect(backoffDelay(2_000, { baseMs: 0, capMs: 1_000 }, highest)).toBe(0);
  });

  it('is zero when base or cap is zero (retries without waiting)', () => {
    expect(backoffDelay(3, { baseMs: 0, capMs: 1_000 })).toBe(0);
    expect(backoffDelay(3, { baseMs: 100, capMs: 0 })).toBe(0);
  });

  it('draws whole milliseconds between half and all of the ceiling, spread over that range', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelay(4, settings));
    for (const delay of delays) {
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
    expect(Math.min(...delays)).toBeLessThan(450);
    expect(Math.max(...delays)).toBeGreaterThan(750);
  });

  it('maps the random draw linearly onto the upper half', () => {
    expect(backoffDelay(3, settings, () => 0.5)).toBe(300);
    expect(backoffDelay(3, settings, () => 0.25)).toBe(250);
  });
});
