import { PendingCommit, planBatch } from './plan-batch';

describe('planBatch', () => {
  const chain = (ids: string[]): PendingCommit[] => ids.map((id, i) => ({ commitId: id, generation: 0, parents: i === 0 ? ['root'] : [ids[i - 1]] }));

  it("takes the own commit's pending descendants in history order, whatever order they come in", () => {
    const pending = chain(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(planBatch({ commitId: 'c2', generation: 0 }, [...pending].reverse(), 10)).toEqual(['c2', 'c3', 'c4', 'c5']);
    expect(planBatch({ commitId: 'c1', generation: 0 }, pending, 3)).toEqual(['c1', 'c2', 'c3']);
  });

  it('follows both sides of a fork and takes a merge once, and leaves out commits not descending from its own', () => {
    const pending: PendingCommit[] = [
      { commitId: 'a', generation: 0, parents: ['root'] },
      { commitId: 'left', generation: 0, parents: ['a'] },
      { commitId: 'right', generation: 0, parents: ['a'] },
      { commitId: 'merge', generation: 0, parents: ['left', 'right'] },
      { commitId: 'elsewhere', generation: 0, parents: ['root'] },
    ];
    expect(planBatch({ commitId: 'a', generation: 0 }, pending, 10)).toEqual(['a', 'left', 'right', 'merge']);
  });

  it('gives nothing when the own commit is not pending at that generation', () => {
    expect(planBatch({ commitId: 'c1', generation: 1 }, chain(['c1', 'c2']), 10)).toBeUndefined();
    expect(planBatch({ commitId: 'gone', generation: 0 }, chain(['c1']), 10)).toBeUndefined();
  });
});
