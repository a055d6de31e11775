import type { MirrorStatus } from '@lakemirror/pipeline';
import { duration, progressBar, renderStatus } from './status-view';

const caughtUp: MirrorStatus = {
  mirror: 'sales-eu',
  stalled: false,
  stall_after_seconds: 600,
  branches: [
    {
      branch: 'main',
      source_head: 'aaaaaaaaaaaaaaaa',
      mirrored_head: 'aaaaaaaaaaaaaaaa',
      lag_commits: 0,
      lag_seconds: 0,
      up_to_date: true,
      held_by_failed_commits: [],
    },
  ],
  in_flight: [],
  failed_commits: 0,
  objects_outside_namespace: 0,
};
const noFailure = { failure_reason: null, last_error: null, failed_at: null };

describe('lakemirror status view', () => {
  it('says when the mirror region does not answer, and which of its services', () => {
    const region = {
      name: 'region-b',
      reachable: false,
      lakefs: { reachable: true, error: null },
      object_store: { reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:9200' },
      checked_at: '2026-11-26T02:00:00.000Z',
    };
    expect(
      renderStatus('sales', { ...caughtUp, region })
        .split('\n')
        .slice(0, 2),
    ).toEqual([
      'mirror sales-eu of sales: up to date',
      'REGION UNREACHABLE: region-b (object store: connect ECONNREFUSED 127.0.0.1:9200); nothing is promoted or reported missing until it answers',
    ]);
    expect(renderStatus('sales', { ...caughtUp, region: { ...region, reachable: true, object_store: { reachable: true, error: null } } })).not.toContain(
      'UNREACHABLE',
    );
  });

  it('says a caught-up mirror is up to date, branch by branch', () => {
    expect(renderStatus('sales', caughtUp)).toBe(
      [
        'mirror sales-eu of sales: up to date',
        '',
        'branch                  source head   mirrored head  lag',
        'main                    aaaaaaaaaaaa  aaaaaaaaaaaa   up to date',
      ].join('\n'),
    );
  });

  it('shows lag, a progress bar per commit in flight, and names what is missing and for how long', () => {
    const text = renderStatus('sales', {
      ...caughtUp,
      stalled: true,
      branches: [
        {
          branch: 'main',
          source_head: 'bbbbbbbbbbbbbbbb',
          mirrored_head: 'aaaaaaaaaaaaaaaa',
          lag_commits: 2,
          lag_seconds: 725,
          up_to_date: false,
          held_by_failed_commits: [],
        },
      ],
      in_flight: [
        {
          commit_id: 'bbbbbbbbbbbbbbbb',
          message: 'daily load',
          state: 'verifying',
          objects_checked: 2_500,
          objects_total: 10_000,
          missing_objects: [{ key: 'mirrors/sales/data/x', missing_since: '2026-11-25T10:00:00.000Z', missing_for_seconds: 700 }],
          stalled: true,
          ...noFailure,
        },
      ],
      objects_outside_namespace: 3,
    });
    expect(text).toContain('mirror sales-eu of sales: STALLED: objects missing for more than 10m 0s');
    expect(text).toContain('main                    bbbbbbbbbbbb  aaaaaaaaaaaa   2 commit(s), 12m 5s');
    expect(text).toContain('bbbbbbbbbbbb verifying [#####---------------]  25% 2,500/10,000 objects  "daily load"');
    expect(text).toContain('missing for 11m 40s: mirrors/sales/data/x  (stalled)');
    expect(text).toContain('3 object(s) have full addresses outside the namespace');
  });

  it('lists at most ten commits in flight and says how many more there are', () => {
    const commit = { commit_id: 'c', message: 'm', state: 'pending', objects_checked: 0, objects_total: 0, missing_objects: [], stalled: false, ...noFailure };
    const text = renderStatus('sales', { ...caughtUp, in_flight: Array.from({ length: 12 }, (_, i) => ({ ...commit, commit_id: `commit${i}` })) });
    expect(text).toContain('commits in flight: 12');
    expect(text).toContain('commit9');
    expect(text).not.toContain('commit10');
    expect(text).toContain('... and 2 more commit(s)');
  });

  it('puts failed commits first with their reason and error, and names the commits holding a branch', () => {
    const pending = { commit_id: 'c', message: 'm', state: 'pending', objects_checked: 0, objects_total: 0, missing_objects: [], stalled: false, ...noFailure };
    const failed = {
      ...pending,
      commit_id: 'ffffffffffffffff',
      message: 'nightly',
      state: 'failed',
      failure_reason: 'corrupt_metadata' as const,
      last_error: 'commit ffff of mirror sales-eu: unreadable metadata file in the mirror region: s3://b/_lakefs/r1: not an SSTable (BAD_MAGIC)',
      failed_at: '2026-11-25T10:00:00.000Z',
    };
    const text = renderStatus('sales', {
      ...caughtUp,
      stalled: true,
      branches: [
        {
          ...caughtUp.branches[0],
          source_head: 'eeeeeeeeeeeeeeee',
          lag_commits: 12,
          lag_seconds: 60,
          up_to_date: false,
          held_by_failed_commits: [failed.commit_id],
        },
      ],
      in_flight: [...Array.from({ length: 11 }, (_, i) => ({ ...pending, commit_id: `commit${i}` })), failed],
      failed_commits: 1,
    });
    expect(text).toContain('mirror sales-eu of sales: FAILED: 1 commit(s) failed for good; fix the cause, then: lakemirror retry sales sales-eu <commit>');
    expect(text).toContain('12 commit(s), 1m 0s, held by failed commit(s) ffffffffffff');
    expect(text.indexOf('ffffffffffff failed')).toBeLessThan(text.indexOf('commit0'));
    expect(text).toContain('      corrupt_metadata since 2026-11-25T10:00:00.000Z: commit ffff of mirror sales-eu: unreadable metadata file');
  });

  it('formats durations and bars at their edges', () => {
    expect([duration(0), duration(59), duration(60), duration(3_661)]).toEqual(['0s', '59s', '1m 0s', '1h 1m']);
    expect(progressBar(0, 0, 4)).toBe('[####] 100%');
    expect(progressBar(1, 3, 3)).toBe('[#--]  33%');
  });
});
