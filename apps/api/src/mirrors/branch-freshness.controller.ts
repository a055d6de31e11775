import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller } from '../auth/caller';
import { branchIdParam, repositoryIdParam } from '../common/names';
import { Expensive } from '../security/expensive.decorator';
import { BranchFreshness, BranchFreshnessService } from './branch-freshness.service';

const FRESHNESS_SCHEMA = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    mirror: { type: 'string' },
    branch: { type: 'string' },
    stale: { type: 'boolean' },
    stale_reason: { type: 'string', enum: ['lag', 'paused'], nullable: true },
    lag_seconds: { type: 'integer', description: 'Age of the oldest source commit of the branch not on the mirror' },
    lag_commits: { type: 'integer', description: 'Source commits of the branch not recorded on the mirror' },
    max_lag_seconds: { type: 'integer', nullable: true },
    paused: { type: 'boolean' },
    source_head: { type: 'string', nullable: true },
    mirrored_head: { type: 'string', nullable: true },
  },
};

@ApiTags('mirrors')
@ApiBasicAuth()
@Controller('service/replication/v1/repositories/:repository/mirrors')
export class BranchFreshnessController {
  constructor(private readonly freshness: BranchFreshnessService) {}

  @Get(':mirror/branches/:branch/freshness')
  @Expensive()
  @ApiOperation({
    summary:
      "Whether a mirror branch is fresh enough to read: 200 when its lag is within the mirror's max_lag_seconds (or the mirror sets none), 409 with the lag when it is stale",
  })
  @ApiOkResponse({ description: 'Fresh', schema: FRESHNESS_SCHEMA })
  @ApiConflictResponse({ description: 'Stale: the lag is over max_lag_seconds, or the mirror has been paused longer than that', schema: FRESHNESS_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such mirror, or no such branch on it' })
  async check(
    @CurrentCaller() caller: Caller,
    @Param('repository') repository: string,
    @Param('mirror') mirror: string,
    @Param('branch') branch: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BranchFreshness> {
    const answer = await this.freshness.freshness(
      caller,
      repositoryIdParam(repository, 'repository'),
      repositoryIdParam(mirror, 'mirror'),
      branchIdParam(branch),
    );
    response.status(answer.stale ? 409 : 200);
    return answer;
  }
}
