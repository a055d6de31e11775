import { unfollowedCommits } from './unfollowed-commits';

describe('unfollowedCommits', () => {
  // main: r (recorded, not listed) <- a <- b ; old-branch: a <- x <- y ; merge m of b and y on dev.
  const a = { id: 'a', parents: ['r'] };
  const b = { id: 'b', parents: ['a'] };
  const x = { id: 'x', parents: ['a'] };
  const y = { id: 'y', parents: ['x'] };
  const m = { id: 'm', parents: ['b', 'y'] };

  it('drops the commits only an unfollowed branch led to, keeping shared ancestors', () => {
    expect(unfollowedCommits([a, b, x, y], ['b'])).toEqual(['x', 'y']);
  });

  it('keeps every commit a followed merge reaches through either parent', () => {
    expect(unfollowedCommits([a, b, x, y, m], ['m'])).toEqual([]);
  });

  it('keeps the ancestors of an older observation still waiting to be promoted', () => {
    expect(unfollowedCommits([a, b, x, y], ['a', 'y'])).toEqual(['b']);
  });

  it('drops everything when no branch is followed, and nothing when nothing is unfinished', () => {
    expect(unfollowedCommits([a, b], [])).toEqual(['a', 'b']);
    expect(unfollowedCommits([], ['b'])).toEqual([]);
  });

  it('ignores heads that are recorded already (not in the unfinished set)', () => {
    expect(unfollowedCommits([x, y], ['r', 'b'])).toEqual(['x', 'y']);
  });
});
