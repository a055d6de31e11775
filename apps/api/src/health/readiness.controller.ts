import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@lakemirror/app-runtime';
import { PipelineHealth } from '@lakemirror/pipeline';

/** Readiness: PostgreSQL, Redis, the source lakeFS and every region's lakeFS answer (Terminus; 503 when one does not). */
@ApiTags('health')
@Controller('service/replication/v1/health')
export class ReadinessController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: PipelineHealth,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness of every dependency' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.dependencies.checks());
  }
}
