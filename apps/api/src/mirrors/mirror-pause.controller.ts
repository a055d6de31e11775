import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '../auth/caller';
import { repositoryIdParam } from '../common/names';
import { Expensive } from '../security/expensive.decorator';
import { MirrorPausingService } from './mirror-pausing.service';
import { MirrorResource, presentMirror } from './mirror.presenter';

@ApiTags('mirrors')
@ApiBasicAuth()
@Controller('service/replication/v1/repositories/:repository/mirrors')
export class MirrorPauseController {
  constructor(private readonly pausing: MirrorPausingService) {}

  @Post(':mirror/pause')
  @Expensive()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Pause a mirror: it is not scanned and nothing is written to its repository (no commit record, no branch move) until resumed; commits in flight go on being verified. Idempotent: pausing a paused mirror keeps its first paused_at',
  })
  @ApiOkResponse({ description: 'The mirror, with paused: true and paused_at' })
  @ApiNotFoundResponse({ description: 'No such mirror (or it is being deleted)' })
  @ApiConflictResponse({ description: 'The mirror is still being created, or promoted (no longer mirrored)' })
  async pause(@CurrentCaller() caller: Caller, @Param('repository') repository: string, @Param('mirror') mirror: string): Promise<MirrorResource> {
    return presentMirror(await this.pausing.pause(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror')));
  }

  @Post(':mirror/resume')
  @Expensive()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resume a paused mirror: it catches up at once (a scan of the source, and the promotion of what was verified meanwhile). Idempotent',
  })
  @ApiOkResponse({ description: 'The mirror, with paused: false' })
  @ApiNotFoundResponse({ description: 'No such mirror (or it is being deleted)' })
  @ApiConflictResponse({ description: 'The mirror is still being created, or promoted (no longer mirrored)' })
  async resume(@CurrentCaller() caller: Caller, @Param('repository') repository: string, @Param('mirror') mirror: string): Promise<MirrorResource> {
    return presentMirror(await this.pausing.resume(caller, repositoryIdParam(repository, 'repository'), repositoryIdParam(mirror, 'mirror')));
  }
}
