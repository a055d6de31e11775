import type { MirrorStatus } from '@lakemirror/pipeline';
import { StatusPageModel, renderStatusPage } from './status-page.view';

const now = new Date('2026-11-26T05:00:00.000Z');
const hostile = '<script>alert(1)</script>';

function status(overrides: Partial<MirrorStatus> = {}): MirrorStatus {
  return {
    mirror: 'sales-m',
    stalled: false,
    stall_after_seconds: 600,
    branches: [
      {
        branch: 'main',
        source_head: 'b'.repeat(64),
        mirrored_head: 'a'.repeat(64),
        lag_commits: 2,
        lag_seconds: 185,
        up_to_date: false,
        held_by_failed_commits: [],
      },
    ],
    in_flight: [
      {
        commit_id: 'c'.repeat(64),
        message: `load ${hostile}`,
        state: 'verifying',
        objects_checked: 30,
        objects_total: 40,
        missing_objects: [{ key: `data/"${hostile}".csv`, missing_since: '2026-11-26T04:59:00.000Z', missing_for_seconds: 60 }],
        stalled: false,
        failure_reason: null,
        last_error: null,
        failed_at: null,
      },
    ],
    failed_commits: 0,
    objects_outside_namespace: 0,
    ...overrides,
  };
}

/** The page with the formatter's whitespace between tags dropped and runs of spaces made one. */
const render = (m: StatusPageModel) => renderStatusPage(m).replace(/>\s+</g, '><').replace(/\s+>/g, '>').replace(/\s+/g, ' ');

function model(mirrorStatus: MirrorStatus): StatusPageModel {
  return {
    user: 'alice',
    generatedAt: now,
    historyMs: 24 * 3_600_000,
    sampleIntervalMs: 60_000,
    refreshSeconds: 30,
    mirrors: [
      {
        id: 'sales-m',
        sourceRepository: 'sales',
        region: 'region-b',
        status: mirrorStatus,
        history: [
          {
            branch: 'main',
            points: [
              { at: new Date(now.getTime() - 120_000), lagSeconds: 10 },
              { at: new Date(now.getTime() - 60_000), lagSeconds: 185 },
            ],
          },
        ],
      },
    ],
  };
}

describe('renderStatusPage', () => {
  it('shows the mirror, its branches with their lag now and over the day, commits in flight and missing objects', () => {
    const page = render(model(status()));
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<meta http-equiv="refresh" content="30" />');
    expect(page).toContain('data-mirror="sales-m"');
    expect(page).toContain('mirror of <strong>sales</strong> in region <strong>region-b</strong>');
    expect(page).toContain('<tr data-branch="main">');
    expect(page).toContain('2 commits behind, 3 min 5 s');
    expect(page).toContain('<svg class="sparkline"');
    expect(page).toContain('<progress value="30" max="40">75%</progress> 30 / 40');
    expect(page).toContain('<span class="badge info">mirroring</span>');
  });

  it('escapes every value that comes from a repository: messages, keys, names', () => {
    const page = render(model(status()));
    expect(page).not.toContain(hostile);
    expect(page).toContain('load &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('<code>data/&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;.csv</code>');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('style=');
  });

  it('shows the stalled, failed, unreachable and up-to-date states', () => {
    const failed = status({
      stalled: true,
      failed_commits: 1,
      region: {
        name: 'region-b',
        reachable: false,
        lakefs: { reachable: true, error: null },
        object_store: { reachable: false, error: 'connect ECONNREFUSED' },
        checked_at: now.toISOString(),
      },
    });
    failed.in_flight[0] = {
      ...failed.in_flight[0],
      state: 'failed',
      failure_reason: 'destination_rejected',
      last_error: 'lakeFS said <no>',
      failed_at: now.toISOString(),
    };
    failed.branches[0].held_by_failed_commits = ['c'.repeat(64)];
    const page = render(model(failed));
    expect(page).toContain('>stalled</span>');
    expect(page).toContain('>1 failed commit</span>');
    expect(page).toContain('title="connect ECONNREFUSED">region region-b unreachable</span>');
    expect(page).toContain('>held by 1 failed commit</span>');
    expect(page).toContain('destination_rejected: lakeFS said &lt;no&gt;');

    const calm = status({ in_flight: [] });
    calm.branches[0] = { ...calm.branches[0], up_to_date: true, lag_commits: 0, lag_seconds: 0, mirrored_head: 'b'.repeat(64) };
    const quiet = render(model(calm));
    expect(quiet).toContain('<span class="badge ok">up to date</span>');
    expect(quiet).toContain('None: every observed commit is on the mirror.');
  });

  it('shows the paused and stale states, the tags waiting and the last audit', () => {
    const extended: MirrorStatus = {
      ...status(),
      paused: true,
      paused_at: '2026-11-26T04:00:00.000Z',
      max_lag_seconds: 60,
      tags_waiting: [{ tag: `v1${hostile}`, commit_id: 'c'.repeat(64), since: '2026-11-26T04:30:00.000Z' }],
      last_audit: {
        audit_id: '6f1c0000-0000-4000-8000-000000000001',
        state: 'succeeded',
        result: 'inconsistent',
        requested_by: 'alice',
        requested_at: '2026-11-26T04:40:00.000Z',
        started_at: '2026-11-26T04:40:01.000Z',
        finished_at: '2026-11-26T04:45:00.000Z',
        ranges_checked: 3,
        ranges_total: 3,
        objects_checked: 120,
        objects_total: 120,
        missing_count: 2,
        error: null,
      },
    };
    extended.branches[0] = { ...extended.branches[0], stale: true, stale_reason: 'lag' };
    const page = render(model(extended));
    expect(page).toContain('>paused since 2026-11-26 04:00:00 UTC</span>');
    expect(page).toContain('title="a branch lags its source by more than 1 min">stale</span>');
    expect(page).toContain('<span class="badge warn">stale</span>');
    expect(page).toContain('<td>v1&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(page).toContain('<span class="badge bad">inconsistent: 2 files missing</span>');
    expect(page).toContain('<dt>finished</dt><dd>2026-11-26 04:45:00 UTC</dd>');
    expect(page).toContain('<a href="/service/replication/v1/repositories/sales/mirrors/sales-m/audits/6f1c0000-0000-4000-8000-000000000001">');
  });

  it('says so when the caller may read no mirror', () => {
    expect(render({ ...model(status()), mirrors: [] })).toContain('No mirror of a repository you may read.');
  });
});
