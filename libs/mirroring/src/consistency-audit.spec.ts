import { auditedCommits, classifyMissing, countByClassification, planAuditRanges } from './consistency-audit';

describe('classifyMissing', () => {
  it.each([
    [{ kind: 'absent' } as const, 'lost'],
    [{ kind: 'delete-marker', replica: false } as const, 'lost'],
    [{ kind: 'delete-marker', replica: true } as const, 'removed_by_source'],
    [{ kind: 'object' } as const, 'present'],
  ])('%j is %s', (state, classification) => {
    expect(classifyMissing(state)).toBe(classification);
  });
});

describe('planAuditRanges', () => {
  it('audits a range shared by several heads once, naming every commit that needs it', () => {
    const plan = planAuditRanges([
      {
        commitId: 'main1',
        ranges: [
          { id: 'r1', count: 10 },
          { id: 'r2', count: 5 },
        ],
      },
      {
        commitId: 'dev1',
        ranges: [
          { id: 'r1', count: 10 },
          { id: 'r3', count: 7 },
        ],
      },
      { commitId: 'main1', ranges: [{ id: 'r1', count: 10 }] },
    ]);
    expect(plan).toEqual([
      { id: 'r1', count: 10, commitIds: ['main1', 'dev1'] },
      { id: 'r2', count: 5, commitIds: ['main1'] },
      { id: 'r3', count: 7, commitIds: ['dev1'] },
    ]);
  });

  it('plans nothing for heads without ranges (an empty commit)', () => {
    expect(planAuditRanges([{ commitId: 'c', ranges: [] }])).toEqual([]);
  });
});

describe('auditedCommits', () => {
  it('lists each commit once with its branches and tags, sorted', () => {
    expect(
      auditedCommits([
        { type: 'tag', name: 'v1', commitId: 'c1' },
        { type: 'branch', name: 'main', commitId: 'c1' },
        { type: 'branch', name: 'dev', commitId: 'c2' },
        { type: 'branch', name: 'copy', commitId: 'c1' },
      ]),
    ).toEqual([
      { commit_id: 'c1', branches: ['copy', 'main'], tags: ['v1'] },
      { commit_id: 'c2', branches: ['dev'], tags: [] },
    ]);
  });
});

describe('countByClassification', () => {
  it('counts every class, zero included', () => {
    expect(countByClassification([{ classification: 'lost' }, { classification: 'lost' }, { classification: 'removed_by_source' }])).toEqual({
      lost: 2,
      removed_by_source: 1,
      unreadable: 0,
    });
  });
});
