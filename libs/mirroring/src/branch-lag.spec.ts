import { branchLag } from './branch-lag';

describe('branchLag', () => {
  it('is zero when the mirror has every commit', () => {
    expect(branchLag([], Date.now())).toEqual({ commits: 0, seconds: 0 });
  });

  it('counts missing commits and ages the oldest', () => {
    const now = 1_700_000_100_000;
    expect(branchLag([{ creation_date: 1_700_000_090 }, { creation_date: 1_700_000_040 }], now)).toEqual({ commits: 2, seconds: 60 });
  });

  it('never reports negative lag for commits dated in the future (clock skew)', () => {
    expect(branchLag([{ creation_date: 2_000_000_000 }], 1_700_000_000_000)).toEqual({ commits: 1, seconds: 0 });
  });
});
