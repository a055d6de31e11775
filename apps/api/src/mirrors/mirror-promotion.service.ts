import { HttpStatus, Injectable } from '@nestjs/common';
import { LakefsError } from '@lakemirror/lakefs-client';
import { MirrorEntity, MirrorPromotionEntity, MirrorRepository } from '@lakemirror/persistence';
import {
  FailoverService,
  MirrorNotPromotableError,
  PromotionBlockedError,
  PromotionStepTimeoutError,
  PromotionTaskFailedError,
  PromotionWouldLoseWorkError,
} from '@lakemirror/pipeline';
import { arns } from '@lakemirror/policies';
import { readMirrorPermissions } from '../auth/mirror-permissions';
import { AuthorizerService } from '../auth/authorizer.service';
import type { Caller } from '../auth/caller';
import { ApiError, badGateway, conflict, notFound } from '../common/api-errors';
import { AuditService } from '../common/audit.service';
import { parsePromoteRequest } from './promote-request';

/** The failover call: promotes a mirror to a writable repository, for who holds fs:PromoteMirror on it. */
@Injectable()
export class MirrorPromotionService {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly failover: FailoverService,
    private readonly authorizer: AuthorizerService,
    private readonly audit: AuditService,
  ) {}

  /** Promotes (or resumes an interrupted promotion of, or returns the done promotion of) the mirror. */
  async promote(caller: Caller, sourceRepository: string, id: string, body: unknown): Promise<{ mirror: MirrorEntity; promotion: MirrorPromotionEntity }> {
    const target = `${sourceRepository}/${id}`;
    await this.authorizer.require(caller, [{ action: 'fs:PromoteMirror', resource: arns.repository(id) }], { action: 'mirror.promote', target });
    const detail: Record<string, unknown> = {};
    return this.audit.record(
      caller.userId,
      'mirror.promote',
      target,
      async () => {
        const request = parsePromoteRequest(body, id);
        detail.force = request.force;
        await this.find(sourceRepository, id);
        const promotion = await this.failover.promote(id, { requestedBy: caller.userId, force: request.force }).catch((error: unknown) => {
          throw this.httpError(error);
        });
        detail.discarded = promotion.discarded;
        return { mirror: await this.find(sourceRepository, id), promotion };
      },
      detail,
    );
  }

  /** Where the mirror's promotion stands; 404 when it was never promoted. */
  async promotion(caller: Caller, sourceRepository: string, id: string): Promise<{ mirror: MirrorEntity; promotion: MirrorPromotionEntity }> {
    await this.authorizer.require(caller, readMirrorPermissions(sourceRepository), { action: 'mirror.promotion', target: `${sourceRepository}/${id}` });
    const mirror = await this.find(sourceRepository, id);
    const promotion = await this.failover.promotionOf(id);
    if (!promotion) throw notFound(`mirror "${id}" of repository "${sourceRepository}" was never promoted`);
    return { mirror, promotion };
  }

  private async find(sourceRepository: string, id: string): Promise<MirrorEntity> {
    const mirror = await this.mirrors.findOfSource(sourceRepository, id);
    if (!mirror) throw notFound(`mirror "${id}" of repository "${sourceRepository}" not found`);
    return mirror;
  }

  private httpError(error: unknown): Error {
    if (error instanceof PromotionWouldLoseWorkError) {
      return new ApiError(HttpStatus.CONFLICT, `${error.message}; wait for it to reach the mirror, or promote with "force": true to leave it behind`, {
        force: 'true promotes anyway, leaving this work behind',
      });
    }
    if (error instanceof MirrorNotPromotableError) return error.state === 'gone' ? notFound(error.message) : conflict(error.message);
    if (error instanceof PromotionBlockedError) return conflict(error.message);
    if (error instanceof PromotionStepTimeoutError) return new ApiError(HttpStatus.GATEWAY_TIMEOUT, error.message);
    if (error instanceof PromotionTaskFailedError) return badGateway(error.message);
    if (error instanceof LakefsError)
      return badGateway(`lakeFS failed during the promotion: ${error.lakefsMessage || error.code}; promoting again resumes where it stopped`);
    return error as Error;
  }
}
