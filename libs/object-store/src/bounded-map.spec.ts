import { setTimeout as sleep } from 'node:timers/promises';
import { mapWithConcurrency } from './bounded-map';

describe('mapWithConcurrency', () => {
  it('keeps input order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const result = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(n);
      inFlight--;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it('rejects with the first failure and starts no new work after it', async () => {
    const started: number[] = [];
    const run = mapWithConcurrency([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await sleep(1);
      if (n === 2) throw new Error('two failed');
      return n;
    });
    await expect(run).rejects.toThrow('two failed');
    expect(started.length).toBeLessThan(6);
  });

  it('handles an empty list and refuses a bad limit', async () => {
    await expect(mapWithConcurrency([], 4, async (n) => n)).resolves.toEqual([]);
    await expect(mapWithConcurrency([1], 0, async (n) => n)).rejects.toThrow('concurrency must be a positive integer');
  });
});
