import { InvalidBranchPatternError, branchFilterMatcher, checkBranchPattern, everyBranch, matchesBranchPattern } from './branch-filter';

describe('matchesBranchPattern', () => {
  it.each([
    ['main', 'main', true],
    ['main', 'mainline', false],
    ['main', 'xmain', false],
    ['release-*', 'release-1.2', true],
    ['release-*', 'release-', true],
    ['release-*', 'release', false],
    ['*', 'anything-at-all', true],
    ['**', 'feature/x', true],
    ['*-old', 'release-old', true],
    ['v?', 'v1', true],
    ['v?', 'v10', false],
    ['v?', 'v', false],
    ['v[123]', 'v2', true],
    ['v[123]', 'v4', false],
    ['v[!123]', 'v4', true],
    ['v[!123]', 'v1', false],
    ['v[0-5]', 'v5', true],
    ['v[0-5]', 'v6', false],
    ['v[!0-5]', 'v6', true],
    ['{main,dev}', 'dev', true],
    ['{main,dev}', 'qa', false],
    ['release-{1,2}.*', 'release-2.0', true],
    ['release-{1,2}.*', 'release-3.0', false],
    ['{a,{b,c}x}', 'cx', true],
    ['{a,}b', 'b', true],
    ['a.b', 'axb', false],
    ['a+b', 'a+b', true],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
    ['[\\]]', ']', true],
    ['a}b,c', 'a}b,c', true],
    ['[-]', '-', true],
    ['x[.^]', 'x^', true],
    ['é*', 'été', true],
  ])('%s against %s: %s', (pattern, branch, expected) => {
    expect(matchesBranchPattern(pattern, branch)).toBe(expected);
  });
});

describe('checkBranchPattern', () => {
  it.each([
    ['', 'empty pattern', 0],
    ['release-[', 'unclosed "["', 8],
    ['[abc', 'unclosed "["', 0],
    ['v[!', 'unclosed "["', 1],
    ['{main,dev', 'unclosed "{"', 0],
    ['x{a,{b}', 'unclosed "{"', 1],
    ['[]', 'empty "[]"', 0],
    ['[!]', 'empty "[]"', 0],
    ['[z-a]', 'range z-a is reversed', 1],
    ['[a-z0-9]', 'a class holds either a list or one range', 4],
    ['main\\', '"\\" escapes nothing', 4],
  ])('refuses %j: %s', (pattern, reason, position) => {
    let error: unknown;
    try {
      checkBranchPattern(pattern);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidBranchPatternError);
    expect(error).toMatchObject({ pattern, reason, position, code: 'INVALID_BRANCH_PATTERN' });
  });

  it.each(['main', 'release-*', '*', '[a-c]x', '{a,b}', 'a\\[b'])('accepts %j', (pattern) => {
    expect(() => checkBranchPattern(pattern)).not.toThrow();
  });
});

describe('branchFilterMatcher', () => {
  it('follows what an include matches and no exclude does', () => {
    const follows = branchFilterMatcher({ include: ['main', 'release-*'], exclude: ['release-old*'] });
    const branches = ['main', 'release-1', 'release-2', 'release-old', 'release-old-2', 'dev', 'mainline'];
    expect(branches.filter(follows)).toEqual(['main', 'release-1', 'release-2']);
  });

  it('follows every branch by default', () => {
    const follows = branchFilterMatcher(everyBranch());
    expect(['main', 'dev', 'a-b_c'].every(follows)).toBe(true);
  });

  it('follows nothing when exclude matches everything', () => {
    expect(branchFilterMatcher({ include: ['*'], exclude: ['*'] })('main')).toBe(false);
  });

  it('refuses a filter with a bad pattern', () => {
    expect(() => branchFilterMatcher({ include: ['main'], exclude: ['[x'] })).toThrow(InvalidBranchPatternError);
  });
});
