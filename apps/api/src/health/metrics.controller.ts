import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { Public } from '@lakemirror/app-runtime';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'lakemirror_api_' });

/** Prometheus metrics of the API process. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Public()
  @Get()
  @Header('content-type', registry.contentType)
  metrics(): Promise<string> {
    return registry.metrics();
  }
}
