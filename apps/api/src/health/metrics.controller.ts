import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@lakemirror/app-runtime';
import { PipelineMetrics } from '@lakemirror/pipeline';
import { MetricsAccessGuard } from '../security/metrics-access.guard';

/**
 * Prometheus metrics: the API process, and the pipeline's state read from PostgreSQL and Redis at
 * each scrape. Not public: the metrics token (bearer) or a lakemirror admin's basic credentials.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly pipelineMetrics: PipelineMetrics) {}

  // Public to the basic-auth guard: MetricsAccessGuard decides, and also accepts the bearer token.
  @Public()
  @UseGuards(MetricsAccessGuard)
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.pipelineMetrics.scrape();
  }
}
