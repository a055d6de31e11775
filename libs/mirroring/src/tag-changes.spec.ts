import { tagAction, tagChanges } from './tag-changes';

describe('tagChanges', () => {
  it('tells created, moved and deleted tags apart and ignores unchanged ones', () => {
    const known = new Map([
      ['v1', 'c1'],
      ['v2', 'c2'],
      ['gone', 'g1'],
    ]);
    const changes = tagChanges(
      [
        { id: 'v1', commit_id: 'c1' },
        { id: 'v2', commit_id: 'c3' },
        { id: 'v3', commit_id: 'c4' },
      ],
      known,
    );
    expect(changes).toEqual({
      created: [{ tag: 'v3', commit: 'c4' }],
      moved: [{ tag: 'v2', from: 'c2', commit: 'c3' }],
      deleted: ['gone'],
    });
  });

  it('reports nothing when no tag changed', () => {
    expect(tagChanges([{ id: 'v1', commit_id: 'c1' }], new Map([['v1', 'c1']]))).toEqual({ created: [], moved: [], deleted: [] });
  });

  it('reports every known tag deleted when the source has none left', () => {
    expect(tagChanges([], new Map([['v1', 'c1']]))).toEqual({ created: [], moved: [], deleted: ['v1'] });
  });
});

describe('tagAction', () => {
  const recorded = new Set(['r1']);
  const isRecorded = (id: string) => recorded.has(id);

  it('waits while the commit is not recorded on the mirror', () => {
    expect(tagAction({ state: 'waiting', commitId: 'u1' }, isRecorded)).toEqual({ action: 'wait' });
  });

  it('applies a waiting tag once its commit is recorded', () => {
    expect(tagAction({ state: 'waiting', commitId: 'r1' }, isRecorded)).toEqual({ action: 'apply', commit: 'r1' });
  });

  it('deletes a tag the source deleted, recorded commit or not', () => {
    expect(tagAction({ state: 'deleting', commitId: 'u1' }, isRecorded)).toEqual({ action: 'delete' });
    expect(tagAction({ state: 'deleting', commitId: 'r1' }, isRecorded)).toEqual({ action: 'delete' });
  });

  it('leaves an applied tag alone', () => {
    expect(tagAction({ state: 'applied', commitId: 'r1' }, isRecorded)).toEqual({ action: 'none' });
  });
});
