import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MirrorHookTokenRepository } from '@lakemirror/persistence';
import { parseAuthorization } from '../auth/basic-credentials';
import { REPOSITORY_ID } from '../common/names';
import { AuthFailureLimiter } from '../security/auth-failure-limiter.service';
import { hookTokenMatches } from './hook-token';

export const HOOK_CHALLENGE = 'Bearer realm="lakemirror hooks", charset="UTF-8"';
const REQUIRED = "authentication required: Authorization: Bearer <the mirror's hook token>";

/**
 * Authenticates a lakeFS webhook by the hook token of the mirror it names. Failures are throttled,
 * counted and audited as failed logins are: a wrong token and an unknown mirror look the same.
 */
@Injectable()
export class HookAuthenticator {
  constructor(
    private readonly tokens: MirrorHookTokenRepository,
    private readonly failures: AuthFailureLimiter,
  ) {}

  /** The mirror the request's token belongs to; otherwise throws 401 (or 429 when throttled). */
  async mirrorOf(request: Request, response: Response): Promise<string> {
    await this.failures.assertMayTry(request, response);
    const mirrorId = String(request.params.mirror ?? '');
    const credentials = parseAuthorization(request.headers.authorization);
    if (credentials.kind !== 'bearer') {
      throw await this.failures.failed(request, response, {
        reason: credentials.kind === 'missing' ? 'no hook token' : 'not a bearer token',
        message: REQUIRED,
        challenge: HOOK_CHALLENGE,
        anonymous: credentials.kind === 'missing',
      });
    }
    const stored = REPOSITORY_ID.test(mirrorId) ? await this.tokens.find(mirrorId) : undefined;
    if (hookTokenMatches(credentials.token, stored?.tokenSha256)) return mirrorId;
    throw await this.failures.failed(request, response, {
      reason: 'wrong hook token (or no such mirror)',
      message: 'this token is not the hook token of the mirror',
      challenge: HOOK_CHALLENGE,
    });
  }
}
