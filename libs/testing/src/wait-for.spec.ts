import { waitFor } from './wait-for';
import { uniqueName } from './unique-name';

describe('waitFor', () => {
  it('returns the first value the check produces', async () => {
    let calls = 0;
    const value = await waitFor('the third call', async () => (++calls === 3 ? 'ready' : undefined), { intervalMs: 1 });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('keeps polling through errors and names what it waited for, with the last error, on time-out', async () => {
    const waiting = waitFor(
      'a server that never answers',
      async () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 30, intervalMs: 5 },
    );
    await expect(waiting).rejects.toThrow('timed out waiting for a server that never answers (last error: connection refused)');
  });
});

describe('uniqueName', () => {
  it('makes distinct names valid for lakeFS repositories', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueName('repo')));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^[a-z0-9][a-z0-9-]{2,62}$/);
  });
});
