import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HookMirror, HookTokenAuth } from './hook-token-auth.decorator';
import { HookTokensService } from './hook-tokens.service';
import { lakefsEventOf } from './lakefs-event';

/** Where lakeFS webhooks land: authenticated by a mirror's hook token, never by lakeFS credentials. */
@ApiTags('hooks')
@ApiBearerAuth()
@Controller('service/replication/v1/hooks/mirrors/:mirror')
export class HooksController {
  constructor(private readonly hooks: HookTokensService) {}

  @Post('scan')
  @HookTokenAuth()
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Scan the mirror's source now (the target of lakeFS webhooks). Authorization: Bearer <the mirror's hook token>; 401 for a missing or wrong token or an unknown mirror",
  })
  @ApiBody({
    required: false,
    description: 'The lakeFS webhook body (event_type, repository_id, branch_id, tag_id, commit_id are written to the audit log); not needed',
    schema: {
      type: 'object',
      properties: {
        event_type: { type: 'string', example: 'post-commit' },
        repository_id: { type: 'string' },
        branch_id: { type: 'string' },
        tag_id: { type: 'string' },
        commit_id: { type: 'string' },
      },
    },
  })
  async scan(@HookMirror() mirror: string, @Body() body: unknown): Promise<{ message: string }> {
    await this.hooks.scanOnHook(mirror, lakefsEventOf(body));
    return { message: 'scan enqueued' };
  }
}
