import { branchChanges } from './branch-changes';

describe('branchChanges', () => {
  it('tells created, moved and deleted branches apart and ignores unchanged ones', () => {
    const known = new Map([
      ['main', 'c1'],
      ['dev', 'd1'],
      ['old', 'o1'],
    ]);
    const changes = branchChanges(
      [
        { id: 'main', commit_id: 'c1' },
        { id: 'dev', commit_id: 'd2' },
        { id: 'feature', commit_id: 'f1' },
      ],
      known,
    );
    expect(changes).toEqual({
      created: [{ branch: 'feature', head: 'f1' }],
      moved: [{ branch: 'dev', from: 'd1', head: 'd2' }],
      deleted: ['old'],
    });
  });

  it('reports nothing for an idle repository', () => {
    expect(branchChanges([{ id: 'main', commit_id: 'c1' }], new Map([['main', 'c1']]))).toEqual({ created: [], moved: [], deleted: [] });
  });
});
