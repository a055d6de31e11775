import { setTimeout as sleep } from 'node:timers/promises';
import { RepeatingTask } from './repeating-task';

describe('RepeatingTask', () => {
  it('runs at once and again after each run, never two at once, reports failures and keeps going until stopped', async () => {
    let running = 0;
    let overlapped = false;
    let runs = 0;
    const errors: unknown[] = [];
    const task = new RepeatingTask(
      async () => {
        running++;
        overlapped ||= running > 1;
        runs++;
        await sleep(5);
        running--;
        if (runs === 2) throw new Error('second run failed');
      },
      1,
      (error) => errors.push(error),
    );
    task.start();
    while (runs < 4) await sleep(2);
    await task.stop();
    const after = runs;
    await sleep(30);
    expect(runs).toBe(after);
    expect(overlapped).toBe(false);
    expect(errors).toEqual([new Error('second run failed')]);
    expect(running).toBe(0);
  });
});
