import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@lakemirror/app-runtime';
import { PipelineMetrics } from '@lakemirror/pipeline';

/** Prometheus metrics: the API process, and the pipeline's state read from PostgreSQL and Redis at each scrape. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly pipelineMetrics: PipelineMetrics) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.pipelineMetrics.scrape();
  }
}
