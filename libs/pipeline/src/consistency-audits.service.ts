import { Injectable } from '@nestjs/common';
import { MirrorAuditRepository } from '@lakemirror/persistence';
import { jobId } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { AuditReport, AuditSummary, auditReportOf, auditSummaryOf } from './audit-report';
import { PipelineQueues } from './pipeline-queues';

/** An audit's job is tried this many times (a worker lost mid-audit, an object store down); then the audit fails with the error. */
const AUDIT_ATTEMPTS = 3;

/** Consistency audits as the API sees them: started (one at a time per mirror) and their reports. */
@Injectable()
export class ConsistencyAudits {
  constructor(
    private readonly audits: MirrorAuditRepository,
    private readonly queues: PipelineQueues,
    private readonly log: PinoLogger,
  ) {}

  /**
   * Starts an audit of the mirror, or returns the one already queued or running (`created`
   * false). An active audit whose job Redis no longer has (flushed, lost) gets its job again;
   * one whose job ended without a report (PostgreSQL was down at its end) is failed and replaced.
   */
  async start(mirrorId: string, requestedBy: string): Promise<{ audit: AuditSummary; created: boolean }> {
    let { audit, created } = await this.audits.createQueued(mirrorId, requestedBy);
    const jobState = created ? 'unknown' : await this.queues.jobState('audit-mirror', jobId.auditMirror({ mirrorId, auditId: audit.id }));
    if (jobState === 'completed' || jobState === 'failed') {
      await this.audits.fail(audit.id, 'its job ended without a report');
      ({ audit, created } = await this.audits.createQueued(mirrorId, requestedBy));
    }
    if (created || jobState === 'unknown') await this.enqueue(mirrorId, audit.id, requestedBy, created);
    return { audit: auditSummaryOf(audit), created };
  }

  private async enqueue(mirrorId: string, auditId: string, requestedBy: string, created: boolean): Promise<void> {
    const job = { mirrorId, auditId };
    try {
      await this.queues.add({ name: 'audit-mirror', data: job, opts: { jobId: jobId.auditMirror(job), attempts: AUDIT_ATTEMPTS } });
    } catch (error) {
      await this.audits.fail(auditId, `could not enqueue the audit: ${(error as Error).message}`);
      throw error;
    }
    this.log.info({ mirror: mirrorId, audit: auditId, by: requestedBy }, created ? 'audit enqueued' : 'audit job enqueued again');
  }

  async report(mirrorId: string, auditId: string): Promise<AuditReport | undefined> {
    const audit = await this.audits.ofMirror(mirrorId, auditId);
    return audit && auditReportOf(audit);
  }

  /** The mirror's most recent audit, for its status. */
  async last(mirrorId: string): Promise<AuditSummary | null> {
    const audit = await this.audits.latest(mirrorId);
    return audit ? auditSummaryOf(audit) : null;
  }
}
