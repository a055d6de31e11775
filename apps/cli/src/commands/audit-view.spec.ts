import type { AuditReport } from '@lakemirror/pipeline';
import { renderAuditProgress, renderAuditReport } from './audit-view';

const report: AuditReport = {
  audit_id: '6f1c2a9e-0d4b-4c1e-9a57-3b8d2f0e7c11',
  state: 'succeeded',
  result: 'inconsistent',
  requested_by: 'alice',
  requested_at: '2026-11-26T04:00:00.000Z',
  started_at: '2026-11-26T04:00:01.000Z',
  finished_at: '2026-11-26T04:00:09.000Z',
  ranges_checked: 2,
  ranges_total: 2,
  objects_checked: 65,
  objects_total: 65,
  missing_count: 2,
  error: null,
  mirror: 'sales-eu',
  commits: [
    { commit_id: 'c1', metarange_id: 'm1', branches: ['main'], tags: ['v1'] },
    { commit_id: 'c2', metarange_id: 'm2', branches: ['dev'], tags: [] },
  ],
  objects_outside_namespace: 0,
  requests: 12,
  classification: { lost: 1, removed_by_source: 1, unreadable: 0, unclassified: 0 },
  missing: [
    { key: 'mirrors/sales/data/g1/a', kind: 'object', path: 'dev/a.txt', commit_id: 'c2', commit_ids: ['c2'], classification: 'lost' },
    { key: 'mirrors/sales/data/g1/b', kind: 'object', path: 'b.txt', commit_id: 'c1', commit_ids: ['c1', 'c2'], classification: 'removed_by_source' },
  ],
  missing_truncated: false,
};

describe('audit view', () => {
  it('prints a running audit with its counts, and a finished one with its result', () => {
    expect(renderAuditProgress({ ...report, state: 'running', result: null, ranges_checked: 1, objects_checked: 30 })).toBe(
      `audit ${report.audit_id}: running, ranges 1/2, objects 30/65`,
    );
    expect(renderAuditProgress(report)).toBe(`audit ${report.audit_id}: inconsistent, ranges 2/2, objects 65/65, 2 missing`);
    expect(renderAuditProgress({ ...report, state: 'failed', result: null, error: 'lakeFS down' })).toBe(`audit ${report.audit_id}: failed: lakeFS down`);
  });

  it('lists the commits with their refs and each missing file with its classification, key, path and commit', () => {
    const text = renderAuditReport(report);
    expect(text).toContain('  c1  branch main, tag v1');
    expect(text).toContain('missing (2: lost 1, removed_by_source 1):');
    expect(text).toContain('  lost              object    mirrors/sales/data/g1/a (dev/a.txt) commit c2');
    expect(text).toContain('  removed_by_source object    mirrors/sales/data/g1/b (b.txt) commit c1');
  });
});
