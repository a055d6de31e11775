import type { MirrorStatus } from '@lakemirror/pipeline';

/** Commits in flight listed one by one; an initial mirror of a long history has thousands. */
const SHOWN_COMMITS = 10;
const short = (id: string | null) => (id ? id.slice(0, 12) : '-');
const count = (n: number) => n.toLocaleString('en-US');

/** How long, for a person: "45s", "12m 5s", "3h 2m". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
}

/** "[########------------]  40%" for done of total. */
export function progressBar(done: number, total: number, width = 20): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

/** The status of a mirror as `lakemirror status` prints it. */
export function renderStatus(repository: string, status: MirrorStatus): string {
  const lines: string[] = [];
  const state =
    status.failed_commits > 0
      ? `FAILED: ${status.failed_commits} commit(s) failed for good; fix the cause, then: lakemirror retry ${repository} ${status.mirror} <commit>`
      : status.stalled
        ? `STALLED: objects missing for more than ${duration(status.stall_after_seconds)}`
        : status.paused
          ? 'paused'
          : status.in_flight.length > 0
            ? 'mirroring'
            : 'up to date';
  lines.push(`mirror ${status.mirror} of ${repository}: ${state}`);
  const region = status.region;
  if (region && !region.reachable) {
    const why = [
      region.lakefs.reachable ? undefined : `lakeFS: ${region.lakefs.error}`,
      region.object_store.reachable ? undefined : `object store: ${region.object_store.error}`,
    ].filter(Boolean);
    lines.push(`REGION UNREACHABLE: ${region.name} (${why.join('; ')}); nothing is promoted or reported missing until it answers`);
  }
  if (status.paused) {
    lines.push(`PAUSED since ${status.paused_at}: not scanned, nothing promoted; lakemirror resume ${repository} ${status.mirror} catches up`);
  }
  lines.push('');
  lines.push('branch'.padEnd(24) + 'source head'.padEnd(14) + 'mirrored head'.padEnd(15) + 'lag');
  for (const b of status.branches) {
    const held = b.held_by_failed_commits.length > 0 ? `, held by failed commit(s) ${b.held_by_failed_commits.map(short).join(', ')}` : '';
    const lag = b.up_to_date ? 'up to date' : `${b.lag_commits} commit(s), ${duration(b.lag_seconds)}${held}`;
    const stale = b.stale ? `  STALE (${b.stale_reason === 'paused' ? 'paused' : 'lag'} over max_lag_seconds ${status.max_lag_seconds})` : '';
    lines.push(b.branch.padEnd(24) + short(b.source_head).padEnd(14) + short(b.mirrored_head).padEnd(15) + lag + stale);
  }
  if (status.branches.length === 0) lines.push('(no branches seen yet)');
  if (status.in_flight.length > 0) {
    lines.push('');
    lines.push(`commits in flight: ${status.in_flight.length}`);
    // Failed commits first: they need someone, and must not hide past the tenth line.
    const failedFirst = [...status.in_flight.filter((c) => c.state === 'failed'), ...status.in_flight.filter((c) => c.state !== 'failed')];
    for (const c of failedFirst.slice(0, SHOWN_COMMITS)) {
      const objects =
        c.objects_total > 0 ? `${progressBar(c.objects_checked, c.objects_total)} ${count(c.objects_checked)}/${count(c.objects_total)} objects` : '';
      lines.push(`  ${short(c.commit_id)} ${c.state.padEnd(9)} ${objects}  ${JSON.stringify(c.message.slice(0, 40))}`);
      if (c.state === 'failed') lines.push(`      ${c.failure_reason} since ${c.failed_at}: ${c.last_error}`);
      for (const m of c.missing_objects.slice(0, 5))
        lines.push(`      missing for ${duration(m.missing_for_seconds)}: ${m.key}${c.stalled ? '  (stalled)' : ''}`);
      if (c.missing_objects.length > 5) lines.push(`      ... and ${c.missing_objects.length - 5} more missing`);
    }
  }
  if (status.in_flight.length > SHOWN_COMMITS) lines.push(`  ... and ${status.in_flight.length - SHOWN_COMMITS} more commit(s)`);
  const tagsWaiting = status.tags_waiting ?? [];
  if (tagsWaiting.length > 0) {
    lines.push('');
    lines.push(`tags waiting for their commit: ${tagsWaiting.length}`);
    for (const t of tagsWaiting.slice(0, SHOWN_COMMITS)) lines.push(`  ${t.tag.padEnd(22)} ${short(t.commit_id)}  since ${t.since}`);
    if (tagsWaiting.length > SHOWN_COMMITS) lines.push(`  ... and ${tagsWaiting.length - SHOWN_COMMITS} more tag(s)`);
  }
  if (status.objects_outside_namespace > 0) {
    lines.push('');
    lines.push(
      `${count(status.objects_outside_namespace)} object(s) have full addresses outside the namespace: replication does not carry them; copy them to the mirror region yourself`,
    );
  }
  const audit = status.last_audit;
  if (audit) {
    const progress = `${progressBar(audit.objects_checked, audit.objects_total)} ${count(audit.objects_checked)}/${count(audit.objects_total)} objects`;
    const outcome =
      audit.state === 'succeeded'
        ? `${audit.result}, ${count(audit.missing_count)} missing`
        : audit.state === 'failed'
          ? `failed: ${audit.error}`
          : `${audit.state} ${progress}`;
    lines.push('', `last audit ${audit.audit_id}: ${outcome} (lakemirror audit-report ${repository} ${status.mirror} ${audit.audit_id})`);
  }
  return lines.join('\n');
}
