import type { AuditReport, AuditSummary } from '@lakemirror/pipeline';

/** Missing files printed in full; the rest are counted (--json has every listed one). */
const MISSING_SHOWN = 20;

/** One line: where an audit stands. */
export function renderAuditProgress(audit: AuditSummary): string {
  const counts = `ranges ${audit.ranges_checked}/${audit.ranges_total}, objects ${audit.objects_checked}/${audit.objects_total}`;
  if (audit.state === 'queued') return `audit ${audit.audit_id}: queued`;
  if (audit.state === 'running') return `audit ${audit.audit_id}: running, ${counts}`;
  if (audit.state === 'failed') return `audit ${audit.audit_id}: failed: ${audit.error ?? 'unknown error'}`;
  return `audit ${audit.audit_id}: ${audit.result}, ${counts}, ${audit.missing_count} missing`;
}

/** A report for people: when, which commits, what was checked, what is missing and why. */
export function renderAuditReport(report: AuditReport): string {
  const lines = [
    renderAuditProgress(report),
    `requested ${report.requested_at} by ${report.requested_by}; started ${report.started_at ?? '-'}; finished ${report.finished_at ?? '-'}`,
    `commits (${report.commits.length}):`,
    ...report.commits.map((c) => `  ${c.commit_id}  ${[...c.branches.map((b) => `branch ${b}`), ...c.tags.map((t) => `tag ${t}`)].join(', ')}`),
  ];
  if (report.objects_outside_namespace > 0) lines.push(`objects outside the namespace (not carried by replication): ${report.objects_outside_namespace}`);
  if (report.missing_count > 0) {
    const classes = Object.entries(report.classification)
      .filter(([, count]) => (count ?? 0) > 0)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    lines.push(`missing (${report.missing_count}: ${classes}):`);
    for (const file of report.missing.slice(0, MISSING_SHOWN))
      lines.push(`  ${file.classification.padEnd(17)} ${file.kind.padEnd(9)} ${file.key}${file.path ? ` (${file.path})` : ''} commit ${file.commit_id}`);
    const unshown = report.missing_count - Math.min(report.missing.length, MISSING_SHOWN);
    if (unshown > 0) lines.push(`  ... and ${unshown} more (--json lists up to ${report.missing.length})`);
  }
  return lines.join('\n');
}
