import { Controller, Get, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Request, Response } from 'express';
import { Public } from '@lakemirror/app-runtime';
import { PipelineHealth } from '@lakemirror/pipeline';
import { MonitoringAccess } from '../security/monitoring-access.service';

/**
 * Readiness: PostgreSQL, Redis, the source lakeFS and every region's lakeFS answer (Terminus; 503
 * when one does not). Anyone sees the status; the per-dependency details need the metrics token
 * or a lakemirror admin's basic credentials.
 */
@ApiTags('health')
@Controller('service/replication/v1/health')
export class ReadinessController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: PipelineHealth,
    private readonly access: MonitoringAccess,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness of every dependency (details with the metrics token or an admin’s credentials)' })
  @ApiOkResponse({ description: '{"status": "ok"}, with "info", "error" and "details" per dependency for the token or an admin' })
  @ApiServiceUnavailableResponse({ description: '{"status": "error"}: a dependency does not answer' })
  async ready(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<HealthCheckResult | Pick<HealthCheckResult, 'status'>> {
    const detailed = await this.access.allows(request, response, false);
    let result: HealthCheckResult;
    try {
      result = await this.health.check(this.dependencies.checks());
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
      response.status(503);
    }
    return detailed ? result : { status: result.status };
  }
}
