import { Injectable } from '@nestjs/common';
import { MirrorEntity, MirrorRepository } from '@lakemirror/persistence';
import { MirrorPauseService } from '@lakemirror/pipeline';
import { controlMirrorPermissions } from '../auth/mirror-permissions';
import { AuthorizerService } from '../auth/authorizer.service';
import type { Caller } from '../auth/caller';
import { conflict, notFound } from '../common/api-errors';
import { AuditService } from '../common/audit.service';

/**
 * Pause and resume of a mirror, for who may retry its commits: reading the source is not
 * enough, since both change what the mirror will hold and when. Both are idempotent.
 */
@Injectable()
export class MirrorPausingService {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly pauses: MirrorPauseService,
    private readonly authorizer: AuthorizerService,
    private readonly audit: AuditService,
  ) {}

  /** Once this returns, nothing is written to the mirror repository until it is resumed. */
  async pause(caller: Caller, sourceRepository: string, id: string): Promise<MirrorEntity> {
    const target = `${sourceRepository}/${id}`;
    await this.mustControl(caller, sourceRepository, { action: 'mirror.pause', target });
    return this.audit.record(caller.userId, 'mirror.pause', target, async () => {
      await this.active(sourceRepository, id);
      if (!(await this.pauses.pause(id))) throw this.gone(sourceRepository, id);
      return this.active(sourceRepository, id);
    });
  }

  /** Lets the mirror run again; it catches up with a scan right away. */
  async resume(caller: Caller, sourceRepository: string, id: string): Promise<MirrorEntity> {
    const target = `${sourceRepository}/${id}`;
    await this.mustControl(caller, sourceRepository, { action: 'mirror.resume', target });
    return this.audit.record(caller.userId, 'mirror.resume', target, async () => {
      await this.active(sourceRepository, id);
      await this.pauses.resume(id);
      return this.active(sourceRepository, id);
    });
  }

  private mustControl(caller: Caller, sourceRepository: string, call: { action: string; target: string }): Promise<void> {
    return this.authorizer.require(caller, controlMirrorPermissions(sourceRepository), call);
  }

  /** The mirror, which must be active: 404 when it is unknown or being deleted, 409 while it is being created. */
  private async active(sourceRepository: string, id: string): Promise<MirrorEntity> {
    const mirror = await this.mirrors.findOfSource(sourceRepository, id);
    if (!mirror || mirror.state === 'deleting') throw this.gone(sourceRepository, id);
    if (mirror.state === 'creating') throw conflict(`mirror "${id}" of repository "${sourceRepository}" is still being created`);
    if (mirror.state !== 'active') throw conflict(`mirror "${id}" of repository "${sourceRepository}" is ${mirror.state}: it is no longer mirrored`);
    return mirror;
  }

  private gone(sourceRepository: string, id: string): Error {
    return notFound(`mirror "${id}" of repository "${sourceRepository}" not found`);
  }
}
