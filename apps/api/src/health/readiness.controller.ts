import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import Redis from 'ioredis';
import { LAKEMIRROR_CONFIG } from '@lakemirror/app-runtime';
import type { LakemirrorConfig } from '@lakemirror/config';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { DataSource } from 'typeorm';
import { Public } from '@lakemirror/app-runtime';
import { DATA_SOURCE } from '../database.provider';

type Check = { status: 'up' | 'down'; error?: string };

async function check(probe: () => Promise<unknown>): Promise<Check> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 3s')), 3_000))]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  }
}

/** Readiness: PostgreSQL, Redis, the source lakeFS and every region's lakeFS answer. 503 when one does not. */
@ApiTags('health')
@Controller('service/replication/v1/health')
export class ReadinessController {
  constructor(
    @Inject(LAKEMIRROR_CONFIG) private readonly config: LakemirrorConfig,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness of every dependency' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<{ status: string; checks: Record<string, Check> }> {
    const lakefs = (endpoint: string, credentials: LakemirrorConfig['source']['lakefs']) =>
      new LakefsClient({ endpoint, credentials, retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, timeoutMs: 3_000 });
    const entries: [string, () => Promise<unknown>][] = [
      ['postgres', () => this.db.query('SELECT 1')],
      ['redis', () => this.pingRedis()],
      ['lakefs:source', () => lakefs(this.config.source.lakefs.endpoint, this.config.source.lakefs).currentUser()],
      ...this.config.regions.map((r): [string, () => Promise<unknown>] => [`lakefs:${r.name}`, () => lakefs(r.lakefs.endpoint, r.lakefs).currentUser()]),
    ];
    const results = await Promise.all(entries.map(async ([name, probe]) => [name, await check(probe)] as const));
    const checks = Object.fromEntries(results);
    const up = results.every(([, c]) => c.status === 'up');
    response.status(up ? 200 : 503);
    return { status: up ? 'up' : 'down', checks };
  }

  private async pingRedis(): Promise<void> {
    const redis = new Redis(this.config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null });
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  }
}
