import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBasicAuth, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditReport, AuditSummary } from '@lakemirror/pipeline';
import type { Response } from 'express';
import { Caller, CurrentCaller } from '../auth/caller';
import { badRequest } from '../common/api-errors';
import { repositoryIdParam } from '../common/names';
import { Expensive } from '../security/expensive.decorator';
import { MirrorAuditingService } from './mirror-auditing.service';

const AUDIT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Validates an audit ID taken from the path (audit IDs are UUIDs). */
function auditIdParam(value: string): string {
  if (!AUDIT_ID.test(value)) throw badRequest(`audit "${value.slice(0, 80)}" is not a valid audit ID (a lowercase UUID)`, { audit: 'must be a UUID' });
  return value;
}

@ApiTags('mirrors')
@ApiBasicAuth()
@Controller('service/replication/v1/repositories/:repository/mirrors')
export class MirrorAuditsController {
  constructor(private readonly auditing: MirrorAuditingService) {}

  @Post(':mirror/audit')
  @Expensive()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start a consistency audit (disaster-recovery drill): every branch head and tag the mirror shows is re-verified from the mirror region alone (metarange, ranges, objects). Needs fs:AuditMirror on the mirror repository. Returns the audit; while one is queued or running, that one (created: false)',
  })
  @ApiBody({ required: false, description: 'No body', schema: { type: 'object', properties: {} } })
  @ApiAcceptedResponse({ description: '{"audit_id", "created", "audit": summary}; progress in the mirror status (last_audit)' })
  @ApiNotFoundResponse({ description: 'No such mirror (or it is being deleted)' })
  async start(
    @CurrentCaller() caller: Caller,
    @Param('repository') repository: string,
    @Param('mirror') mirror: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ audit_id: string; created: boolean; audit: AuditSummary }> {
    const { audit, created } = await this.auditing.start(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror'));
    response.location(`/service/replication/v1/repositories/${repository}/mirrors/${mirror}/audits/${audit.audit_id}`);
    return { audit_id: audit.audit_id, created, audit };
  }

  @Get(':mirror/audits/:audit')
  @ApiOperation({ summary: 'The report of an audit: when, which commits, counts checked, every missing file with its key, commit and classification' })
  @ApiOkResponse({ description: 'The audit report' })
  @ApiNotFoundResponse({ description: 'No such mirror or audit' })
  async report(
    @CurrentCaller() caller: Caller,
    @Param('repository') repository: string,
    @Param('mirror') mirror: string,
    @Param('audit') audit: string,
  ): Promise<AuditReport> {
    return this.auditing.report(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror'), auditIdParam(audit));
  }
}
