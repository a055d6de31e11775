import type { BranchStatus, CommitInFlight, MirrorStatus, TagWaiting } from '@lakemirror/pipeline';
import { SafeHtml, html, trustedHtml } from './html';
import { LagPoint, lagSparkline } from './lag-sparkline';
import { formatDuration, formatTime, plural, shortCommit } from './status-format';
import { STATUS_PAGE_CSS } from './status-page.styles';

/** One branch's sampled lag, oldest first. */
export interface BranchHistory {
  branch: string;
  points: LagPoint[];
}

/** What the page shows of one mirror. */
export interface MirrorPanel {
  id: string;
  sourceRepository: string;
  region: string;
  status: MirrorStatus;
  history: BranchHistory[];
}

export interface StatusPageModel {
  user: string;
  generatedAt: Date;
  /** The span of the lag sparklines. */
  historyMs: number;
  sampleIntervalMs: number;
  refreshSeconds: number;
  mirrors: MirrorPanel[];
}

/** The mirror's most recent consistency audit, as the status reports it. */
type AuditSummary = NonNullable<MirrorStatus['last_audit']>;

// Outside any formatted template: the policy allows the style sheet by the hash of its exact text.
const STYLE_ELEMENT = trustedHtml(`<style>${STATUS_PAGE_CSS}</style>`);

const historyHours = (model: StatusPageModel) => Math.round(model.historyMs / 3_600_000);

const badge = (kind: 'ok' | 'warn' | 'bad' | 'info', label: string, title?: string) =>
  html`<span class="badge ${kind}" ${title ? html` title="${title}"` : ''}>${label}</span>`;

/** The whole status page: a document with no script, its style sheet inline (allowed by hash), reloaded every refreshSeconds. */
export function renderStatusPage(model: StatusPageModel): string {
  const body =
    model.mirrors.length === 0 ? html`<p class="muted">No mirror of a repository you may read.</p>` : model.mirrors.map((m) => mirrorSection(m, model));
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="refresh" content="${model.refreshSeconds}" />
        <title>lakemirror status</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <header>
          <h1>lakemirror status</h1>
          <p class="muted">
            ${plural(model.mirrors.length, 'mirror')} · signed in as <strong>${model.user}</strong> · ${formatTime(model.generatedAt)} · refreshes every
            ${model.refreshSeconds} s · lag history: last ${historyHours(model)} h, sampled every ${formatDuration(model.sampleIntervalMs / 1000)}
          </p>
        </header>
        <main>${body}</main>
      </body>
    </html> `.text;
}

function mirrorSection(panel: MirrorPanel, model: StatusPageModel): SafeHtml {
  const { status } = panel;
  const missing = status.in_flight.flatMap((c) => c.missing_objects.map((m) => ({ commit: c.commit_id, ...m })));
  const tagsWaiting = status.tags_waiting ?? [];
  return html`<section class="mirror" id="mirror-${panel.id}" data-mirror="${panel.id}">
    <h2>
      ${panel.id} <small>mirror of <strong>${panel.sourceRepository}</strong> in region <strong>${panel.region}</strong></small>
    </h2>
    <p class="states">${mirrorStates(status)}</p>
    <h3>Branches</h3>
    ${branchTable(panel, model)}
    <h3>Commits in flight</h3>
    ${status.in_flight.length === 0 ? html`<p class="muted">None: every observed commit is on the mirror.</p>` : commitTable(status.in_flight)}
    <h3>Missing objects</h3>
    ${
      missing.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<table class="missing">
            <thead>
              <tr>
                <th>Key</th>
                <th>Commit</th>
                <th>Missing since</th>
                <th>Missing for</th>
              </tr>
            </thead>
            <tbody>
              ${missing.map(
                (m) =>
                  html`<tr>
                    <td><code>${m.key}</code></td>
                    <td><code title="${m.commit}">${shortCommit(m.commit)}</code></td>
                    <td>${formatTime(m.missing_since)}</td>
                    <td>${formatDuration(m.missing_for_seconds)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${tagsWaiting.length > 0 ? tagsTable(tagsWaiting) : ''} ${status.last_audit ? auditSection(status.last_audit, panel) : ''}
  </section> `;
}

function mirrorStates(status: MirrorStatus): SafeHtml[] {
  const states: SafeHtml[] = [];
  if (status.paused) states.push(badge('warn', status.paused_at ? `paused since ${formatTime(status.paused_at)}` : 'paused'));
  if (status.stalled) states.push(badge('bad', 'stalled', `objects missing for longer than ${formatDuration(status.stall_after_seconds)}`));
  if (status.branches.some((b) => b.stale))
    states.push(badge('warn', 'stale', `a branch lags its source by more than ${formatDuration(status.max_lag_seconds ?? 0)}`));
  if (status.failed_commits > 0) states.push(badge('bad', `${plural(status.failed_commits, 'failed commit')}`, 'waiting for an operator to retry them'));
  if (status.region && !status.region.reachable) {
    const why = [status.region.lakefs.error, status.region.object_store.error].filter(Boolean).join('; ');
    states.push(badge('bad', `region ${status.region.name} unreachable`, why));
  }
  if (status.objects_outside_namespace > 0) {
    states.push(
      badge('info', `${plural(status.objects_outside_namespace, 'object')} outside the namespace`, 'full addresses: replication does not carry them'),
    );
  }
  if (states.length === 0) {
    const behind = status.branches.some((b) => !b.up_to_date) || status.in_flight.length > 0;
    states.push(behind ? badge('info', 'mirroring') : badge('ok', 'up to date'));
  }
  return states;
}

/**
 * Where every sparkline of the page starts: the day's start, or shortly before the oldest sample
 * when the history is younger (a new installation), so that its lines are not squeezed to the right.
 */
function sparklineStart(model: StatusPageModel): Date {
  const dayStart = model.generatedAt.getTime() - model.historyMs;
  const times = model.mirrors.flatMap((m) => m.history.flatMap((h) => h.points.map((p) => p.at.getTime())));
  const oldest = times.length > 0 ? Math.min(...times) : dayStart;
  return new Date(Math.max(dayStart, oldest - model.sampleIntervalMs));
}

function branchTable(panel: MirrorPanel, model: StatusPageModel): SafeHtml {
  if (panel.status.branches.length === 0) return html`<p class="muted">No branch observed yet.</p>`;
  const to = model.generatedAt;
  const from = sparklineStart(model);
  const histories = new Map(panel.history.map((h) => [h.branch, h.points]));
  return html`<table class="branches">
    <thead>
      <tr>
        <th>Branch</th>
        <th>Lag now</th>
        <th>Lag, last ${historyHours(model)} h</th>
        <th>State</th>
        <th>Source head</th>
        <th>Mirrored head</th>
      </tr>
    </thead>
    <tbody>
      ${panel.status.branches.map(
        (b) =>
          html`<tr data-branch="${b.branch}">
            <td><strong>${b.branch}</strong></td>
            <td class="lag">${lagNow(b)}</td>
            <td>
              ${lagSparkline(histories.get(b.branch) ?? [], {
                from,
                to,
                maxGapMs: model.sampleIntervalMs * 2.5,
              })}
            </td>
            <td>${branchStates(b)}</td>
            <td><code title="${b.source_head ?? ''}">${shortCommit(b.source_head)}</code></td>
            <td><code title="${b.mirrored_head ?? ''}">${shortCommit(b.mirrored_head)}</code></td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function lagNow(branch: BranchStatus): string {
  if (branch.up_to_date) return 'up to date';
  if (branch.lag_commits === 0) return `branch move pending, ${formatDuration(branch.lag_seconds)}`;
  return `${plural(branch.lag_commits, 'commit')} behind, ${formatDuration(branch.lag_seconds)}`;
}

function branchStates(branch: BranchStatus): SafeHtml[] {
  const states: SafeHtml[] = [];
  if (branch.stale) states.push(badge('warn', branch.stale_reason === 'paused' ? 'stale (paused)' : 'stale'));
  if (branch.held_by_failed_commits.length > 0)
    states.push(badge('bad', `held by ${plural(branch.held_by_failed_commits.length, 'failed commit')}`, branch.held_by_failed_commits.join(', ')));
  if (states.length === 0) states.push(branch.up_to_date ? badge('ok', 'up to date') : badge('info', 'behind'));
  return states;
}

function commitTable(commits: CommitInFlight[]): SafeHtml {
  return html`<table class="in-flight">
    <thead>
      <tr>
        <th>Commit</th>
        <th>Message</th>
        <th>State</th>
        <th>Objects checked</th>
        <th>Missing</th>
      </tr>
    </thead>
    <tbody>
      ${commits.map(
        (c) =>
          html`<tr data-commit="${c.commit_id}">
            <td><code title="${c.commit_id}">${shortCommit(c.commit_id)}</code></td>
            <td>${c.message}</td>
            <td>
              ${c.stalled ? badge('bad', 'stalled') : ''}${
                c.state === 'failed' ? badge('bad', 'failed', c.failed_at ? `since ${formatTime(c.failed_at)}` : undefined) : c.state
              }${c.failure_reason ? html`<div class="error">${c.failure_reason}: ${c.last_error ?? ''}</div>` : ''}
            </td>
            <td>${progress(c)}</td>
            <td>${c.missing_objects.length}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function progress(commit: CommitInFlight): SafeHtml {
  if (commit.objects_total === 0) return html`<span class="muted">not planned yet</span>`;
  const percent = Math.floor((commit.objects_checked / commit.objects_total) * 100);
  return html`<progress value="${commit.objects_checked}" max="${commit.objects_total}">${percent}%</progress> ${commit.objects_checked} /
    ${commit.objects_total}`;
}

function tagsTable(tags: TagWaiting[]): SafeHtml {
  return html`<h3>Tags waiting for their commit</h3>
    <table class="tags">
      <thead>
        <tr>
          <th>Tag</th>
          <th>Commit</th>
          <th>Since</th>
        </tr>
      </thead>
      <tbody>
        ${tags.map(
          (t) =>
            html`<tr>
              <td>${t.tag}</td>
              <td><code title="${t.commit_id}">${shortCommit(t.commit_id)}</code></td>
              <td>${formatTime(t.since)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

/** The last consistency audit: its outcome (or progress), when and by whom, and a link to its report (JSON, with every missing key). */
function auditSection(audit: AuditSummary, panel: MirrorPanel): SafeHtml {
  const outcome =
    audit.state === 'failed'
      ? badge('bad', 'failed', audit.error ?? undefined)
      : audit.result === 'consistent'
        ? badge('ok', 'consistent')
        : audit.result === 'inconsistent'
          ? badge('bad', `inconsistent: ${plural(audit.missing_count, 'file')} missing`)
          : badge('info', audit.state);
  const report = `/service/replication/v1/repositories/${encodeURIComponent(panel.sourceRepository)}/mirrors/${encodeURIComponent(panel.id)}/audits/${encodeURIComponent(audit.audit_id)}`;
  return html`<h3>Last audit</h3>
    <p class="audit-outcome">${outcome}</p>
    <dl class="audit">
      <dt>requested</dt>
      <dd>${formatTime(audit.requested_at)} by ${audit.requested_by}</dd>
      <dt>started</dt>
      <dd>${formatTime(audit.started_at)}</dd>
      <dt>finished</dt>
      <dd>${formatTime(audit.finished_at)}</dd>
      <dt>ranges checked</dt>
      <dd>${audit.ranges_checked} / ${audit.ranges_total}</dd>
      <dt>objects checked</dt>
      <dd>${audit.objects_checked} / ${audit.objects_total}</dd>
      <dt>missing</dt>
      <dd>${audit.missing_count}</dd>
      ${
        audit.error
          ? html`<dt>error</dt>
              <dd class="error">${audit.error}</dd>`
          : ''
      }
      <dt>report</dt>
      <dd><a href="${report}">${audit.audit_id}</a></dd>
    </dl>`;
}
