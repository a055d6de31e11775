import { Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '../auth/caller';
import { repositoryIdParam } from '../common/names';
import { HookTokensService, hookScanPath } from './hook-tokens.service';

/** A hook token as GET shows it: everything but the token. */
export interface HookTokenInfo {
  mirror_id: string;
  created_at: string;
  created_by: string;
  hook_path: string;
}

export interface HookTokenResource {
  mirror_id: string;
  token: string;
  created_at: string;
  /** Where lakeFS sends the mirror's webhooks, relative to the API's address. */
  hook_path: string;
}

@ApiTags('hooks')
@ApiBasicAuth()
@Controller('service/replication/v1/repositories/:repository/mirrors/:mirror/hook-token')
export class HookTokenController {
  constructor(private readonly hooks: HookTokensService) {}

  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      "Issue the mirror's hook token (shown once; replaces any previous token). It only allows POST /service/replication/v1/hooks/mirrors/{mirror}/scan. Needs fs:ListRepositories, and fs:ReadRepository and fs:MirrorRepository on the source",
  })
  async issue(@CurrentCaller() caller: Caller, @Param('repository') repository: string, @Param('mirror') mirror: string): Promise<HookTokenResource> {
    const issued = await this.hooks.issue(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror'));
    return { mirror_id: issued.mirrorId, token: issued.token, created_at: issued.createdAt.toISOString(), hook_path: hookScanPath(issued.mirrorId) };
  }

  @Get()
  @ApiOperation({ summary: "When and by whom the mirror's hook token was issued (never the token itself); 404 when it has none" })
  async describe(@CurrentCaller() caller: Caller, @Param('repository') repository: string, @Param('mirror') mirror: string): Promise<HookTokenInfo> {
    const token = await this.hooks.describe(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror'));
    return { mirror_id: token.mirrorId, created_at: token.createdAt.toISOString(), created_by: token.createdBy, hook_path: hookScanPath(token.mirrorId) };
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke the mirror's hook token: its webhooks are refused (401) and polling alone drives the mirror" })
  async revoke(@CurrentCaller() caller: Caller, @Param('repository') repository: string, @Param('mirror') mirror: string): Promise<void> {
    await this.hooks.revoke(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror'));
  }
}
