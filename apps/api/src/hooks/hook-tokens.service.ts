import { Injectable } from '@nestjs/common';
import { MirrorEntity, MirrorHookToken, MirrorHookTokenRepository, MirrorRepository } from '@lakemirror/persistence';
import { ScannerService } from '@lakemirror/pipeline';
import { controlMirrorPermissions } from '../auth/mirror-permissions';
import { AuthorizerService, GuardedCall } from '../auth/authorizer.service';
import type { Caller } from '../auth/caller';
import { notFound } from '../common/api-errors';
import { AuditService } from '../common/audit.service';
import { LakefsEvent } from './lakefs-event';
import { hookTokenSha256, newHookToken } from './hook-token';

/** The hook endpoint of a mirror, relative to the API's address. */
export const hookScanPath = (mirrorId: string) => `/service/replication/v1/hooks/mirrors/${mirrorId}/scan`;

export interface IssuedHookToken {
  mirrorId: string;
  token: string;
  createdAt: Date;
}

/** The audit log's actor for what a mirror's hook token did. */
export const hookActor = (mirrorId: string) => `hook:${mirrorId}`;

/**
 * Hook tokens: issued (or rotated) and revoked by who may mirror the source; used by lakeFS
 * webhooks to ask for a scan of their mirror, which is all a token allows.
 */
@Injectable()
export class HookTokensService {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly tokens: MirrorHookTokenRepository,
    private readonly authorizer: AuthorizerService,
    private readonly audit: AuditService,
    private readonly scanner: ScannerService,
  ) {}

  /** A new token for the mirror, shown this once; the mirror's previous token stops working. */
  async issue(caller: Caller, sourceRepository: string, mirrorId: string): Promise<IssuedHookToken> {
    const target = `${sourceRepository}/${mirrorId}`;
    await this.mustMirror(caller, sourceRepository, { action: 'mirror.hook-token.issue', target });
    return this.audit.record(caller.userId, 'mirror.hook-token.issue', target, async () => {
      await this.find(sourceRepository, mirrorId);
      const token = newHookToken();
      const createdAt = await this.tokens.replace(mirrorId, hookTokenSha256(token), caller.userId);
      return { mirrorId, token, createdAt };
    });
  }

  /** When and by whom the mirror's token was issued (never the token). @throws 404 when it has none. */
  async describe(caller: Caller, sourceRepository: string, mirrorId: string): Promise<MirrorHookToken> {
    await this.mustMirror(caller, sourceRepository, { action: 'mirror.hook-token.get', target: `${sourceRepository}/${mirrorId}` });
    await this.find(sourceRepository, mirrorId);
    const token = await this.tokens.find(mirrorId);
    if (!token) throw notFound(`mirror "${mirrorId}" has no hook token`);
    return token;
  }

  async revoke(caller: Caller, sourceRepository: string, mirrorId: string): Promise<void> {
    const target = `${sourceRepository}/${mirrorId}`;
    await this.mustMirror(caller, sourceRepository, { action: 'mirror.hook-token.revoke', target });
    await this.audit.record(caller.userId, 'mirror.hook-token.revoke', target, async () => {
      await this.find(sourceRepository, mirrorId);
      if (!(await this.tokens.delete(mirrorId))) throw notFound(`mirror "${mirrorId}" has no hook token`);
    });
  }

  /** Enqueues a scan of the mirror whose token authenticated the webhook (the scanner skips a mirror that is not active). */
  async scanOnHook(mirrorId: string, event: LakefsEvent): Promise<void> {
    const mirror = await this.mirrors.find(mirrorId);
    const target = mirror ? `${mirror.sourceRepository}/${mirrorId}` : mirrorId;
    await this.audit.record(hookActor(mirrorId), 'mirror.scan', target, () => this.scanner.enqueueScanAfterNow(mirrorId), { trigger: 'lakefs-hook', ...event });
  }

  /** As to create a mirror of the source: a token lets lakeFS drive the mirror's scans. */
  private mustMirror(caller: Caller, sourceRepository: string, call: GuardedCall): Promise<void> {
    return this.authorizer.require(caller, controlMirrorPermissions(sourceRepository), call);
  }

  private async find(sourceRepository: string, mirrorId: string): Promise<MirrorEntity> {
    const mirror = await this.mirrors.findOfSource(sourceRepository, mirrorId);
    if (!mirror) throw notFound(`mirror "${mirrorId}" of repository "${sourceRepository}" not found`);
    return mirror;
  }
}
