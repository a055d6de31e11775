import type { MirrorStatus } from '@lakemirror/pipeline';
import { renderStatus } from './status-view';

const status: MirrorStatus = {
  mirror: 'sales-eu',
  stalled: false,
  stall_after_seconds: 600,
  branches: [],
  in_flight: [],
  failed_commits: 0,
  objects_outside_namespace: 0,
};

describe('lakemirror status view of tags', () => {
  it('lists the tags waiting for their commit, with the commit and since when', () => {
    const text = renderStatus('sales', {
      ...status,
      tags_waiting: [{ tag: 'v1.0', commit_id: 'c1c1c1c1c1c1c1c1c1', since: '2026-11-26T04:00:00.000Z' }],
    });
    expect(text.split('\n').slice(-2)).toEqual(['tags waiting for their commit: 1', `  ${'v1.0'.padEnd(22)} c1c1c1c1c1c1  since 2026-11-26T04:00:00.000Z`]);
  });

  it('says nothing of tags when none waits, or when the server does not report them', () => {
    expect(renderStatus('sales', { ...status, tags_waiting: [] })).not.toContain('tags waiting');
    expect(renderStatus('sales', status)).not.toContain('tags waiting');
  });

  it('lists at most ten waiting tags and says how many more there are', () => {
    const tags = Array.from({ length: 12 }, (_, i) => ({ tag: `v${i}`, commit_id: `c${i}`, since: '2026-11-26T04:00:00.000Z' }));
    const text = renderStatus('sales', { ...status, tags_waiting: tags });
    expect(text).toContain('tags waiting for their commit: 12');
    expect(text).toContain('  ... and 2 more tag(s)');
    expect(text).not.toContain('v10 ');
  });
});
