import { lakefsEventOf } from './lakefs-event';

describe('lakefsEventOf', () => {
  it('keeps the event fields of a lakeFS webhook body', () => {
    const body = {
      event_type: 'post-commit',
      event_time: '2026-11-26T04:00:00Z',
      action_name: 'lakemirror',
      hook_id: 'scan_sales-eu',
      repository_id: 'sales',
      branch_id: 'main',
      source_ref: 'main',
      commit_id: 'abc123',
      commit_message: 'a message that is not kept',
      committer: 'someone',
      commit_metadata: { a: 'b' },
    };
    expect(lakefsEventOf(body)).toEqual({ event_type: 'post-commit', repository_id: 'sales', branch_id: 'main', commit_id: 'abc123' });
  });

  it('drops what is not a non-empty string and cuts long values', () => {
    expect(lakefsEventOf({ event_type: 7, branch_id: '', tag_id: 'x'.repeat(1000) })).toEqual({ tag_id: 'x'.repeat(256) });
  });

  it('accepts no body at all', () => {
    expect(lakefsEventOf(undefined)).toEqual({});
    expect(lakefsEventOf([1, 2])).toEqual({});
    expect(lakefsEventOf('post-commit')).toEqual({});
  });
});
