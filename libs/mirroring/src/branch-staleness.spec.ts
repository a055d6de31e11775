import { branchStaleness, secondsSince } from './branch-staleness';

describe('branchStaleness', () => {
  const running = (maxLagSeconds: number | null) => ({ maxLagSeconds, pausedForSeconds: null });

  it('never calls a branch stale when the mirror sets no limit, however far behind', () => {
    expect(branchStaleness({ commits: 50, seconds: 86_400 }, running(null))).toEqual({ stale: false, reason: null });
    expect(branchStaleness({ commits: 50, seconds: 86_400 }, { maxLagSeconds: null, pausedForSeconds: 86_400 })).toEqual({ stale: false, reason: null });
  });

  it('is fresh when caught up', () => {
    expect(branchStaleness({ commits: 0, seconds: 0 }, running(10))).toEqual({ stale: false, reason: null });
  });

  it('is fresh while the lag is at the limit, stale once it is older than the limit', () => {
    expect(branchStaleness({ commits: 2, seconds: 10 }, running(10))).toEqual({ stale: false, reason: null });
    expect(branchStaleness({ commits: 2, seconds: 11 }, running(10))).toEqual({ stale: true, reason: 'lag' });
  });

  it('counts the age of the lag, not the number of commits behind', () => {
    expect(branchStaleness({ commits: 500, seconds: 3 }, running(10))).toEqual({ stale: false, reason: null });
  });

  it('keeps a paused mirror fresh while paused for no longer than the limit', () => {
    expect(branchStaleness({ commits: 0, seconds: 0 }, { maxLagSeconds: 60, pausedForSeconds: 60 })).toEqual({ stale: false, reason: null });
  });

  it('calls every branch of a mirror paused longer than the limit stale, even with no known lag', () => {
    expect(branchStaleness({ commits: 0, seconds: 0 }, { maxLagSeconds: 60, pausedForSeconds: 61 })).toEqual({ stale: true, reason: 'paused' });
  });

  it('names the lag as the reason when both the lag and the pause are over the limit', () => {
    expect(branchStaleness({ commits: 1, seconds: 120 }, { maxLagSeconds: 60, pausedForSeconds: 90 })).toEqual({ stale: true, reason: 'lag' });
  });
});

describe('secondsSince', () => {
  it('is null without a start', () => {
    expect(secondsSince(null, Date.now())).toBeNull();
  });

  it('counts whole seconds', () => {
    expect(secondsSince(new Date(1_700_000_000_000), 1_700_000_012_900)).toBe(12);
  });

  it('is never negative (a start in the future: clock skew)', () => {
    expect(secondsSince(new Date(1_700_000_100_000), 1_700_000_000_000)).toBe(0);
  });
});
