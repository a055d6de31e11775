import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { API_SETTINGS, ApiSettings } from '../api-settings';
import { parseAuthorization } from '../auth/basic-credentials';
import { BASIC_CHALLENGE, RequestAuthenticator } from '../auth/request-authenticator.service';
import { ApiError } from '../common/api-errors';
import { AuthFailureLimiter } from './auth-failure-limiter.service';
import { SecurityAuditService } from './security-audit.service';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may read /metrics and the readiness details: a scraper with the bearer token
 * LAKEMIRROR_METRICS_TOKEN, or a lakemirror admin with basic credentials.
 */
@Injectable()
export class MonitoringAccess {
  private readonly tokenDigest?: Buffer;

  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly failures: AuthFailureLimiter,
    private readonly audit: SecurityAuditService,
    @Inject(API_SETTINGS) settings: ApiSettings,
  ) {
    this.tokenDigest = settings.metricsToken && digest(settings.metricsToken.reveal());
  }

  /**
   * Whether the request may see monitoring details. Credentials that do not hold are refused
   * (401, 429); a request without any is refused only when `required`, and so is a non-admin (403).
   */
  async allows(request: Request, response: Response, required: boolean): Promise<boolean> {
    const credentials = parseAuthorization(request.headers.authorization);
    if (credentials.kind === 'missing' && !required) return false;
    if (credentials.kind === 'bearer') {
      await this.failures.assertMayTry(request, response);
      // Digests have equal lengths, so the comparison takes the same time whatever was sent.
      if (this.tokenDigest && timingSafeEqual(digest(credentials.token), this.tokenDigest)) return true;
      throw await this.failures.failed(request, response, {
        reason: this.tokenDigest ? 'wrong metrics token' : 'bearer token sent but LAKEMIRROR_METRICS_TOKEN is not set',
        message: 'the bearer token is not the metrics token (LAKEMIRROR_METRICS_TOKEN)',
        challenge: this.challenge(),
      });
    }
    if (credentials.kind === 'missing') {
      throw await this.failures.failed(request, response, {
        reason: 'no credentials',
        message: `authentication required: ${this.tokenDigest ? 'the metrics bearer token or ' : ''}a lakemirror admin's HTTP basic credentials`,
        challenge: this.challenge(),
        anonymous: true,
      });
    }
    const caller = await this.authenticator.callerOf(request, response);
    if (caller.isAdmin || !required) return caller.isAdmin;
    const message = `user ${caller.userId} is not a lakemirror admin (LAKEMIRROR_ADMIN_USERS)`;
    await this.audit.refused(request, 'auth.forbidden', 403, message, { actor: caller.userId });
    throw new ApiError(HttpStatus.FORBIDDEN, message);
  }

  private challenge(): string {
    return this.tokenDigest ? `Bearer realm="lakemirror", ${BASIC_CHALLENGE}` : BASIC_CHALLENGE;
  }
}
