import { commitRecordOf } from './commit-record';

describe('commitRecordOf', () => {
  const commit = {
    id: 'c1',
    parents: ['p1', 'p2'],
    committer: 'alice',
    message: 'merge',
    creation_date: 1_700_000_000,
    meta_range_id: 'm1',
    metadata: { k: 'v' },
    generation: 7,
    version: 1,
  };

  it('copies every field that makes the commit ID', () => {
    expect(commitRecordOf(commit, { force: true })).toEqual({
      commit_id: 'c1',
      version: 1,
      committer: 'alice',
      message: 'merge',
      metarange_id: 'm1',
      creation_date: 1_700_000_000,
      parents: ['p1', 'p2'],
      metadata: { k: 'v' },
      generation: 7,
      force: true,
    });
  });

  it('fills what older lakeFS versions leave out with lakeFS defaults', () => {
    const { metadata: _m, generation: _g, version: _v, ...bare } = commit;
    expect(commitRecordOf(bare)).toMatchObject({ metadata: {}, generation: 0, version: 1, force: undefined });
  });
});
