import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditReport, AuditSummary } from '@lakemirror/pipeline';
import { mirrorPath } from '../api-client';
import { EXIT } from '../exit-codes';
import { renderAuditProgress, renderAuditReport } from './audit-view';
import { CliCommand, CommandContext } from './command';

/** A finished audit that found files missing exits with EXIT.inconsistent, one that could not run with EXIT.failed. */
function exitFor(report: AuditReport): void {
  if (report.state === 'failed') process.exitCode = EXIT.failed;
  else if (report.missing_count > 0) process.exitCode = EXIT.inconsistent;
}

async function waitForReport(context: CommandContext, repository: string, mirror: string, auditId: string): Promise<AuditReport> {
  let shown = '';
  for (;;) {
    const report = await context.api().request<AuditReport>('GET', mirrorPath(repository, mirror, 'audits', auditId));
    if (report.state === 'succeeded' || report.state === 'failed') return report;
    const progress = renderAuditProgress(report);
    // Progress goes to stderr, so that --json's stdout stays one JSON document.
    if (progress !== shown) process.stderr.write(`${progress}\n`);
    shown = progress;
    await sleep(1_000);
  }
}

export const auditCommand: CliCommand = {
  name: 'audit',
  usage: '<source-repository> <mirror> [--wait] [--json]',
  summary: 'start a consistency audit of the mirror from its region alone (--wait shows progress, then the report; exit 8 when files are missing)',
  async run(context) {
    const [repository, mirror] = context.positionals(2);
    const started = await context.api().request<{ audit_id: string; created: boolean; audit: AuditSummary }>('POST', mirrorPath(repository, mirror, 'audit'));
    if (!context.flag('wait')) {
      context.output(started, (s) => `${s.created ? 'audit started' : 'an audit is already under way'}: ${s.audit_id}\n${renderAuditProgress(s.audit)}`);
      return;
    }
    if (!context.json) context.write(`${started.created ? 'audit started' : 'an audit is already under way'}: ${started.audit_id}`);
    const report = await waitForReport(context, repository, mirror, started.audit_id);
    context.output(report, renderAuditReport);
    exitFor(report);
  },
};

export const auditReportCommand: CliCommand = {
  name: 'audit-report',
  usage: '<source-repository> <mirror> <audit-id> [--json]',
  summary: "an audit's report: commits, counts checked, missing files with their key, commit and classification",
  async run(context) {
    const [repository, mirror, auditId] = context.positionals(3);
    const report = await context.api().request<AuditReport>('GET', mirrorPath(repository, mirror, 'audits', auditId));
    context.output(report, renderAuditReport);
    exitFor(report);
  },
};
