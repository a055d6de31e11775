import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBasicAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, CurrentCaller } from '../auth/caller';
import { repositoryIdParam } from '../common/names';
import { Expensive } from '../security/expensive.decorator';
import { MirrorPromotionService } from './mirror-promotion.service';
import { PromotionResource, presentPromotion } from './promotion.presenter';

@ApiTags('mirrors')
@ApiBasicAuth()
@Controller('service/replication/v1/repositories/:repository/mirrors')
export class MirrorPromotionController {
  constructor(private readonly promotions: MirrorPromotionService) {}

  @Post(':mirror/promote')
  @Expensive()
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Failover: turn the mirror into an ordinary writable repository of its region. Mirroring stops for good; every branch stays at its last verified commit, tags stay, commit IDs stay the source's. Cannot be undone; idempotent, and repeating it resumes an interrupted promotion",
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['confirm'],
      properties: {
        confirm: { type: 'string', description: "the mirror's ID, as confirmation" },
        force: { type: 'boolean', default: false, description: 'promote even though verified work has not reached the mirror yet (it is left behind)' },
      },
    },
  })
  @ApiOkResponse({ description: 'The promotion, done (state "promoted")' })
  @ApiBadRequestResponse({ description: 'confirm absent or not the mirror ID; force not a boolean' })
  @ApiForbiddenResponse({ description: 'fs:PromoteMirror on the mirror repository is not allowed' })
  @ApiNotFoundResponse({ description: 'No such mirror' })
  @ApiConflictResponse({
    description: 'Verified work would be lost (without force), the mirror is being created or deleted, or something on lakeFS is in the way',
  })
  async promote(
    @CurrentCaller() caller: Caller,
    @Param('repository') repository: string,
    @Param('mirror') mirror: string,
    @Body() body: unknown,
  ): Promise<PromotionResource> {
    const { mirror: row, promotion } = await this.promotions.promote(
      caller,
      repositoryIdParam(repository, 'repository'),
      repositoryIdParam(mirror, 'mirror'),
      body,
    );
    return presentPromotion(row, promotion);
  }

  @Get(':mirror/promotion')
  @ApiOperation({ summary: "Where the mirror's promotion stands (its last step, what the mirror held, what a forced promotion left behind)" })
  @ApiOkResponse({ description: 'The promotion' })
  @ApiNotFoundResponse({ description: 'No such mirror, or it was never promoted' })
  async promotion(@CurrentCaller() caller: Caller, @Param('repository') repository: string, @Param('mirror') mirror: string): Promise<PromotionResource> {
    const { mirror: row, promotion } = await this.promotions.promotion(
      caller,
      repositoryIdParam(repository, 'repository'),
      repositoryIdParam(mirror, 'mirror'),
    );
    return presentPromotion(row, promotion);
  }
}
