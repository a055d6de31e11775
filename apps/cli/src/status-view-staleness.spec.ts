import type { MirrorStatus } from '@lakemirror/pipeline';
import { renderStatus } from './status-view';

const branch = {
  branch: 'main',
  source_head: 'bbbbbbbbbbbbbbbb',
  mirrored_head: 'aaaaaaaaaaaaaaaa',
  lag_commits: 2,
  lag_seconds: 95,
  up_to_date: false,
  held_by_failed_commits: [],
};
const running: MirrorStatus = {
  mirror: 'sales-eu',
  paused: false,
  paused_at: null,
  max_lag_seconds: 60,
  stalled: false,
  stall_after_seconds: 600,
  branches: [{ ...branch, stale: false, stale_reason: null }],
  in_flight: [],
  failed_commits: 0,
  objects_outside_namespace: 0,
};

describe('lakemirror status view: pause and staleness', () => {
  it('marks a branch staler than max_lag_seconds, and only that one', () => {
    const text = renderStatus('sales', {
      ...running,
      branches: [
        { ...branch, stale: true, stale_reason: 'lag' },
        { ...branch, branch: 'dev', lag_seconds: 5, stale: false, stale_reason: null },
      ],
    });
    const rows = text.split('\n');
    expect(rows.find((r) => r.startsWith('main '))).toMatch(/2 commit\(s\), 1m 35s {2}STALE \(lag over max_lag_seconds 60\)$/);
    expect(rows.find((r) => r.startsWith('dev '))).not.toContain('STALE');
  });

  it('says since when a mirror is paused and how to resume it', () => {
    const text = renderStatus('sales', {
      ...running,
      paused: true,
      paused_at: '2026-11-26T04:00:00.000Z',
      branches: [{ ...branch, stale: true, stale_reason: 'paused' }],
    });
    expect(text.split('\n').slice(0, 2)).toEqual([
      'mirror sales-eu of sales: paused',
      'PAUSED since 2026-11-26T04:00:00.000Z: not scanned, nothing promoted; lakemirror resume sales sales-eu catches up',
    ]);
    expect(text).toContain('STALE (paused over max_lag_seconds 60)');
  });

  it('shows neither for a running mirror within its limit', () => {
    expect(renderStatus('sales', running)).not.toMatch(/PAUSED|STALE/);
  });
});
