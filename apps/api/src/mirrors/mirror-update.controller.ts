import { Body, Controller, Param, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBasicAuth, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '../auth/caller';
import { repositoryIdParam } from '../common/names';
import { Expensive } from '../security/expensive.decorator';
import { BRANCH_FILTER_SCHEMA } from './branch-filter-request';
import { parseMirrorUpdateRequest } from './mirror-update-request';
import { MirrorUpdateService } from './mirror-update.service';
import { MirrorResource, presentMirror } from './mirror.presenter';

@ApiTags('mirrors')
@ApiBasicAuth()
@Controller('service/replication/v1/repositories/:repository/mirrors')
export class MirrorUpdateController {
  constructor(private readonly updates: MirrorUpdateService) {}

  @Patch(':mirror')
  @Expensive()
  @ApiOperation({
    summary:
      'Change a mirror\'s settings; fields left out stay as they are. "branches" changes the branch filter (a list left out stays as it is): newly matched branches are followed from the scan this asks for, branches no longer matched stop being followed at once (their unrecorded commits are never verified) and their mirror branches are kept or deleted as "unfollowed_branches" says',
  })
  @ApiBody({
    schema: {
      type: 'object',
      minProperties: 1,
      additionalProperties: false,
      properties: {
        branches: BRANCH_FILTER_SCHEMA,
        unfollowed_branches: {
          type: 'string',
          enum: ['keep', 'delete'],
          default: 'keep',
          description: 'With "branches": keep the mirror branches the new filter no longer follows as they are, or delete them from the mirror',
        },
        mirror_tags: {
          type: 'boolean',
          description:
            "Start or stop mirroring the source's tags; tags already on the mirror stay when it stops, and it catches up from the next scan when it starts",
        },
        max_lag_seconds: {
          type: 'integer',
          minimum: 1,
          maximum: 31536000,
          nullable: true,
          description: 'How old a branch lag may grow before the branch is stale (status, metrics, freshness 409); null removes the limit',
        },
      },
    },
  })
  @ApiOkResponse({ description: 'The updated mirror' })
  @ApiBadRequestResponse({ description: 'An invalid or unknown field, named in "errors" (e.g. branches.include.1)' })
  @ApiNotFoundResponse({ description: 'No such mirror' })
  @ApiConflictResponse({
    description: "The mirror is being created or deleted; or deleting unfollowed branches from a paused mirror or the mirror's default branch",
  })
  async update(
    @CurrentCaller() caller: Caller,
    @Param('repository') repository: string,
    @Param('mirror') mirror: string,
    @Body() body: unknown,
  ): Promise<MirrorResource> {
    const request = parseMirrorUpdateRequest(body);
    return presentMirror(await this.updates.update(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror'), request));
  }
}
