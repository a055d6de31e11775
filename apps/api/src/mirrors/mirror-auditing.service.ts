import { Injectable } from '@nestjs/common';
import { MirrorEntity, MirrorRepository } from '@lakemirror/persistence';
import { AuditReport, AuditSummary, ConsistencyAudits } from '@lakemirror/pipeline';
import { arns } from '@lakemirror/policies';
import { readMirrorPermissions } from '../auth/mirror-permissions';
import { AuthorizerService, GuardedCall } from '../auth/authorizer.service';
import type { Caller } from '../auth/caller';
import { conflict, notFound } from '../common/api-errors';
import { AuditService } from '../common/audit.service';

/**
 * Consistency audits of a mirror. Starting one needs fs:AuditMirror on the mirror repository
 * besides reading the source: an audit reads every object the mirror shows, a cost its
 * readers should not be able to run up. Its report is for who may read the source, as the status is.
 */
@Injectable()
export class MirrorAuditingService {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly audits: ConsistencyAudits,
    private readonly authorizer: AuthorizerService,
    private readonly audit: AuditService,
  ) {}

  async start(caller: Caller, sourceRepository: string, id: string): Promise<{ audit: AuditSummary; created: boolean }> {
    const target = `${sourceRepository}/${id}`;
    await this.authorizer.require(caller, [...this.readPermissions(sourceRepository), { action: 'fs:AuditMirror', resource: arns.repository(id) }], {
      action: 'mirror.audit',
      target,
    });
    return this.audit.record(caller.userId, 'mirror.audit', target, async () => {
      const mirror = await this.mirror(sourceRepository, id);
      if (mirror.state === 'creating') throw conflict(`mirror "${id}" of repository "${sourceRepository}" is still being created`);
      return this.audits.start(id, caller.userId);
    });
  }

  async report(caller: Caller, sourceRepository: string, id: string, auditId: string): Promise<AuditReport> {
    await this.mustRead(caller, sourceRepository, { action: 'mirror.audit.get', target: `${sourceRepository}/${id}/${auditId}` });
    await this.mirror(sourceRepository, id);
    const report = await this.audits.report(id, auditId);
    if (!report) throw notFound(`audit "${auditId}" of mirror "${id}" not found`);
    return report;
  }

  private mustRead(caller: Caller, sourceRepository: string, call: GuardedCall): Promise<void> {
    return this.authorizer.require(caller, this.readPermissions(sourceRepository), call);
  }

  private readPermissions(sourceRepository: string) {
    return readMirrorPermissions(sourceRepository);
  }

  /** The mirror: 404 when it is unknown or being deleted. */
  private async mirror(sourceRepository: string, id: string): Promise<MirrorEntity> {
    const mirror = await this.mirrors.findOfSource(sourceRepository, id);
    if (!mirror || mirror.state === 'deleting') throw notFound(`mirror "${id}" of repository "${sourceRepository}" not found`);
    return mirror;
  }
}
