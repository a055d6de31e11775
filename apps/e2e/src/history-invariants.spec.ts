import { BranchMove, CommitRecorded, backwardsMoves, descendsFrom, mirrorDifferences, movesToIncompleteCommits, recordViolations } from './history-invariants';

// c1 <- c2 <- c3, and c2 <- x3 (a sibling of c3).
const parents = new Map<string, string[]>([
  ['c1', []],
  ['c2', ['c1']],
  ['c3', ['c2']],
  ['x3', ['c2']],
]);
const move = (from: string | undefined, to: string, at = 1_000): BranchMove => ({ branch: 'main', from, to, at, seenBy: 'log' });
const recorded = (commit: string, at: number, process = 'promoter:1', line = at): CommitRecorded => ({ commit, at, process, line });

describe('descendsFrom', () => {
  it('follows parents, a commit descending from itself', () => {
    expect(descendsFrom(parents, 'c3', 'c1')).toBe(true);
    expect(descendsFrom(parents, 'c2', 'c2')).toBe(true);
    expect(descendsFrom(parents, 'c1', 'c3')).toBe(false);
    expect(descendsFrom(parents, 'x3', 'c3')).toBe(false);
  });
});

describe('backwardsMoves', () => {
  it('accepts creations and moves forward, over several commits at once', () => {
    expect(backwardsMoves([move(undefined, 'c1'), move('c1', 'c3')], [], parents)).toEqual([]);
  });

  it('detects a move backwards and a move sideways', () => {
    expect(backwardsMoves([move('c3', 'c2'), move('c3', 'x3')], [{ branch: 'main', head: 'c3', at: 0 }], parents)).toEqual([
      'mirror branch main moved backwards from c3 to c2 (seen in the log at 1970-01-01T00:00:01.000Z)',
      'mirror branch main moved backwards from c3 to x3 (seen in the log at 1970-01-01T00:00:01.000Z)',
    ]);
  });

  it('accepts leaving a head the source branch itself left (reset or deleted), on that branch only', () => {
    expect(backwardsMoves([move('c3', 'x3')], [{ branch: 'main', head: 'x3', at: 0 }], parents)).toEqual([]);
    expect(backwardsMoves([move('c3', 'c2')], [{ branch: 'main', at: 0 }], parents)).toEqual([]);
    expect(backwardsMoves([move('c3', 'c2')], [{ branch: 'dev', head: 'c1', at: 0 }], parents)).toHaveLength(1);
  });
});

describe('movesToIncompleteCommits', () => {
  it('detects a move made while a file of the commit was missing in the mirror region', () => {
    expect(
      movesToIncompleteCommits([
        { branch: 'main', commit: 'c2', at: 0, missing: [] },
        { branch: 'main', commit: 'c3', at: 0, missing: ['mirrors/r/data/a'] },
      ]),
    ).toEqual(['mirror branch main moved to c3 while 1 of its files were missing in the mirror region (mirrors/r/data/a) at 1970-01-01T00:00:00.000Z']);
  });
});

describe('recordViolations', () => {
  it('accepts every commit recorded once, parents first', () => {
    expect(recordViolations([recorded('c1', 1), recorded('c2', 2), recorded('c3', 2, 'promoter:1', 3)], parents)).toEqual([]);
  });

  it('detects a commit recorded twice', () => {
    const violations = recordViolations([recorded('c1', 1), recorded('c1', 5, 'promoter:2')], parents);
    expect(violations).toEqual(['commit c1 recorded 2 times (by promoter:1 at 1970-01-01T00:00:00.001Z, promoter:2 at 1970-01-01T00:00:00.005Z)']);
  });

  it('detects a child recorded before its parent, and a parent never recorded', () => {
    expect(recordViolations([recorded('c2', 1), recorded('c1', 2)], parents)).toEqual([
      'commit c2 recorded at 1970-01-01T00:00:00.001Z, before its parent c1 (at 1970-01-01T00:00:00.002Z)',
    ]);
    expect(recordViolations([recorded('c3', 1, 'p', 2), recorded('c2', 1, 'p', 3), recorded('c1', 0)], parents)).toEqual([
      'commit c3 recorded at 1970-01-01T00:00:00.001Z, before its parent c2 (at 1970-01-01T00:00:00.001Z)',
    ]);
    expect(recordViolations([recorded('c3', 1)], parents)).toEqual(['commit c3 recorded, but its parent c2 never was']);
  });
});

describe('mirrorDifferences', () => {
  const snapshot = (branches: Record<string, [string, string[]]>) => new Map(Object.entries(branches).map(([b, [head, log]]) => [b, { head, log }]));

  it('finds nothing when every branch has the same head and log', () => {
    expect(mirrorDifferences(snapshot({ main: ['c3', ['c3', 'c2', 'c1']] }), snapshot({ main: ['c3', ['c3', 'c2', 'c1']] }))).toEqual({
      violations: [],
      lost: 0,
    });
  });

  it('names missing, behind and extra branches, and counts the commits lost', () => {
    const source = snapshot({ main: ['c3', ['c3', 'c2', 'c1']], dev: ['x3', ['x3', 'c2', 'c1']] });
    const mirror = snapshot({ main: ['c2', ['c2', 'c1']], old: ['c1', ['c1']] });
    expect(mirrorDifferences(source, mirror)).toEqual({
      violations: [
        'mirror branch main is at c2, the source at c3',
        'branch dev is missing on the mirror',
        'mirror branch old does not exist on the source',
        '2 commits of the source are not on the mirror',
      ],
      lost: 2,
    });
  });
});
