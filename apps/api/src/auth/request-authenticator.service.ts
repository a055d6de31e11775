import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { API_SETTINGS, ApiSettings } from '../api-settings';
import { ApiError } from '../common/api-errors';
import { AuthFailureLimiter } from '../security/auth-failure-limiter.service';
import { parseAuthorization } from './basic-credentials';
import type { Caller } from './caller';
import { LakefsAuthenticatorService } from './lakefs-authenticator.service';

export const BASIC_CHALLENGE = 'Basic realm="lakemirror", charset="UTF-8"';
const REQUIRED = 'authentication required: HTTP basic with your lakeFS access key ID and secret';

/**
 * Who is calling, from the request's HTTP basic credentials (a lakeFS access key ID and secret),
 * for the API's routes and for Bull Board alike: throttled clients and keys get 429 before lakeFS
 * is asked, failures are counted and audited.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(
    private readonly lakefs: LakefsAuthenticatorService,
    private readonly failures: AuthFailureLimiter,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  /** The caller; otherwise throws 401, 429 or 503, with WWW-Authenticate or Retry-After set on the response. */
  async callerOf(request: Request, response: Response): Promise<Caller> {
    const credentials = parseAuthorization(request.headers.authorization);
    const accessKeyId = credentials.kind === 'basic' ? credentials.accessKeyId : undefined;
    await this.failures.assertMayTry(request, response, accessKeyId);
    if (credentials.kind !== 'basic') {
      throw await this.failures.failed(request, response, {
        reason: credentials.kind === 'missing' ? 'no credentials' : 'not HTTP basic credentials',
        message: credentials.kind === 'malformed' ? `malformed basic credentials; ${REQUIRED}` : REQUIRED,
        challenge: BASIC_CHALLENGE,
        anonymous: credentials.kind === 'missing',
      });
    }
    let userId: string | undefined;
    try {
      userId = await this.lakefs.userFor(credentials.accessKeyId, credentials.secretAccessKey);
    } catch {
      // lakeFS could not be asked: an outage, not a wrong password.
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'cannot verify credentials: the source lakeFS is unreachable; try again');
    }
    if (!userId) {
      throw await this.failures.failed(request, response, {
        reason: 'lakeFS did not accept the credentials',
        message: 'lakeFS did not accept these credentials',
        challenge: BASIC_CHALLENGE,
        accessKeyId,
      });
    }
    return { userId, isAdmin: this.settings.adminUsers.includes(userId) };
  }
}
