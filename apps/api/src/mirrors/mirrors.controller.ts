import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller } from '../auth/caller';
import { commitIdParam, repositoryIdParam } from '../common/names';
import { Expensive } from '../security/expensive.decorator';
import { BRANCH_FILTER_SCHEMA } from './branch-filter-request';
import { parseMirrorRequest } from './mirror-request';
import { MirrorResource, presentMirror } from './mirror.presenter';
import { MirrorsService } from './mirrors.service';
import type { MirrorStatus } from '@lakemirror/pipeline';

@ApiTags('mirrors')
@ApiBasicAuth()
@Controller('service/replication/v1/repositories/:repository/mirrors')
export class MirrorsController {
  constructor(private readonly mirrors: MirrorsService) {}

  @Post()
  @Expensive()
  @ApiOperation({ summary: 'Create a read-only mirror of the repository in a region (idempotent)' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name', 'region', 'storage_namespace'],
      properties: {
        name: { type: 'string' },
        region: { type: 'string' },
        storage_namespace: {
          type: 'string',
          description: "s3://bucket/prefix inside one of the region's configured roots, overlapping no other mirror's namespace",
        },
        max_lag_seconds: {
          type: 'integer',
          minimum: 1,
          maximum: 31536000,
          nullable: true,
          description:
            'How old a branch lag may grow before the branch is stale (status, metrics, GET .../branches/{branch}/freshness answers 409); absent or null: never stale',
        },
        mirror_tags: {
          type: 'boolean',
          default: true,
          description: "Mirror the source's tags: each is created, moved or deleted on the mirror once its commit is recorded there, never before",
        },
        branches: BRANCH_FILTER_SCHEMA,
      },
    },
  })
  async create(
    @CurrentCaller() caller: Caller,
    @Param('repository') repository: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MirrorResource> {
    const request = parseMirrorRequest(body);
    const { mirror, created } = await this.mirrors.create(caller, repositoryIdParam(repository, 'repository'), request);
    response.status(created ? 201 : 200);
    return presentMirror(mirror);
  }

  @Get()
  @ApiOperation({ summary: 'List the mirrors of the repository' })
  async list(@CurrentCaller() caller: Caller, @Param('repository') repository: string): Promise<{ results: MirrorResource[] }> {
    const mirrors = await this.mirrors.list(caller, repositoryIdParam(repository, 'repository'));
    return { results: mirrors.map(presentMirror) };
  }

  @Get(':mirror')
  @ApiOperation({ summary: 'Get one mirror' })
  async get(@CurrentCaller() caller: Caller, @Param('repository') repository: string, @Param('mirror') mirror: string): Promise<MirrorResource> {
    return presentMirror(await this.mirrors.get(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror')));
  }

  @Get(':mirror/status')
  @Expensive()
  @ApiOperation({ summary: 'Mirroring status: per branch the lag, per commit in flight its progress and missing objects' })
  async status(@CurrentCaller() caller: Caller, @Param('repository') repository: string, @Param('mirror') mirror: string): Promise<MirrorStatus> {
    return this.mirrors.status(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror'));
  }

  @Post(':mirror/scan')
  @Expensive()
  @HttpCode(202)
  @ApiOperation({ summary: 'Scan the source now instead of at the next interval (for lakeFS post-commit/post-merge hooks)' })
  async scan(@CurrentCaller() caller: Caller, @Param('repository') repository: string, @Param('mirror') mirror: string): Promise<{ message: string }> {
    await this.mirrors.scanNow(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror'));
    return { message: 'scan enqueued' };
  }

  @Post(':mirror/commits/:commit/retry')
  @Expensive()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Verify a failed commit again from scratch once its cause is fixed (404 unknown mirror or commit, 409 when the commit is not failed)',
  })
  async retryCommit(
    @CurrentCaller() caller: Caller,
    @Param('repository') repository: string,
    @Param('mirror') mirror: string,
    @Param('commit') commit: string,
  ): Promise<{ message: string; commit_id: string; generation: number }> {
    const commitId = commitIdParam(commit);
    const { generation } = await this.mirrors.retryCommit(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror'), commitId);
    return { message: `commit ${commitId} planned again`, commit_id: commitId, generation };
  }

  @Delete(':mirror')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a mirror: stops mirroring and deletes the mirror repository' })
  async delete(@CurrentCaller() caller: Caller, @Param('repository') repository: string, @Param('mirror') mirror: string): Promise<void> {
    await this.mirrors.delete(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror'));
  }
}
