import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorFunction, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { LAKEMIRROR_CONFIG } from '@lakemirror/app-runtime';
import type { LakemirrorConfig } from '@lakemirror/config';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { PinoLogger } from 'nestjs-pino';
import { PipelineQueues } from './pipeline-queues';

const PROBE_TIMEOUT_MS = 3_000;

/** Fails after `ms`, so that one hung dependency cannot hang the readiness answer. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Terminus health indicators for what the pipeline depends on: PostgreSQL, Redis (on the
 * queues' own connection), the source lakeFS and every region's lakeFS. A down dependency is
 * reported as unreachable; the raw error goes to the log, never to the caller.
 */
@Injectable()
export class PipelineHealth {
  private readonly lakefsProbes: { key: string; client: LakefsClient }[];

  constructor(
    @Inject(LAKEMIRROR_CONFIG) config: LakemirrorConfig,
    private readonly indicators: HealthIndicatorService,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly queues: PipelineQueues,
    private readonly log: PinoLogger,
  ) {
    const probe = (lakefs: LakemirrorConfig['source']['lakefs']) =>
      new LakefsClient({ endpoint: lakefs.endpoint, credentials: lakefs, retry: { attempts: 1, baseMs: 0, capMs: 0 }, timeoutMs: PROBE_TIMEOUT_MS });
    this.lakefsProbes = [
      { key: 'lakefs:source', client: probe(config.source.lakefs) },
      ...config.regions.map((r) => ({ key: `lakefs:${r.name}`, client: probe(r.lakefs) })),
    ];
  }

  checks(): HealthIndicatorFunction[] {
    return [
      () => this.postgres.pingCheck('postgres', { timeout: PROBE_TIMEOUT_MS }),
      () =>
        this.probe('redis', async () =>
          within(
            PROBE_TIMEOUT_MS,
            this.queues.redis().then((redis) => redis.ping()),
          ),
        ),
      ...this.lakefsProbes.map(
        ({ key, client }) =>
          () =>
            this.probe(key, () => client.currentUser()),
      ),
    ];
  }

  private async probe(key: string, ping: () => Promise<unknown>) {
    const indicator = this.indicators.check(key);
    try {
      await ping();
      return indicator.up();
    } catch (error) {
      this.log.warn({ dependency: key, err: error }, 'readiness check failed');
      return indicator.down({ message: 'unreachable' });
    }
  }
}
