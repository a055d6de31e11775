import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { API_SETTINGS, ApiSettings } from '../api-settings';
import { ApiError } from '../common/api-errors';
import { clientAddress } from './client-address';
import { FixedWindowCounter } from './fixed-window-counter';
import { SecurityAuditService } from './security-audit.service';

const MINUTE_MS = 60_000;
const MAX_KEY_LENGTH = 128;

/** A failed authentication: why, and what the 401 says and challenges with. */
export interface AuthFailure {
  reason: string;
  message: string;
  challenge: string;
  accessKeyId?: string;
  /** No credentials at all: the commonest probe, audited once per client and minute. */
  anonymous?: boolean;
}

/**
 * Limits failed authentications per client address and per access key ID
 * (LAKEMIRROR_AUTH_FAILURES_PER_MINUTE), in this process's memory: past the limit, requests are
 * answered 429 before lakeFS is asked, whatever credentials they carry.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly byClient: FixedWindowCounter;
  private readonly byAccessKey: FixedWindowCounter;

  constructor(
    @Inject(API_SETTINGS) settings: ApiSettings,
    private readonly audit: SecurityAuditService,
  ) {
    this.byClient = new FixedWindowCounter(settings.authFailuresPerMinute, MINUTE_MS);
    this.byAccessKey = new FixedWindowCounter(settings.authFailuresPerMinute, MINUTE_MS);
  }

  /** Throws 429 (with Retry-After) when the client or the access key has failed too often this minute. */
  async assertMayTry(request: Request, response: Response, accessKeyId?: string): Promise<void> {
    const client = clientAddress(request);
    const clientWait = this.byClient.retryAfterSeconds(client);
    const keyWait = accessKeyId === undefined ? 0 : this.byAccessKey.retryAfterSeconds(keyOf(accessKeyId));
    const wait = Math.max(clientWait, keyWait);
    if (wait === 0) return;
    const who = clientWait >= keyWait ? 'from this client' : 'for this access key';
    await this.audit.refused(request, 'auth.throttled', 429, `too many failed authentications ${who}`, {
      accessKeyId,
      onceAMinutePer: clientWait >= keyWait ? client : `key:${accessKeyId}`,
    });
    response.setHeader('Retry-After', String(wait));
    throw new ApiError(HttpStatus.TOO_MANY_REQUESTS, `too many failed authentications ${who}; retry after ${wait} s`);
  }

  /** Counts a failed authentication, audits it, and returns the 401 to throw (its challenge set on the response). */
  async failed(request: Request, response: Response, failure: AuthFailure): Promise<ApiError> {
    const client = clientAddress(request);
    this.byClient.add(client);
    if (failure.accessKeyId !== undefined) this.byAccessKey.add(keyOf(failure.accessKeyId));
    await this.audit.refused(request, failure.anonymous ? 'auth.missing' : 'auth.failed', 401, failure.reason, {
      accessKeyId: failure.accessKeyId,
      onceAMinutePer: failure.anonymous ? client : undefined,
    });
    response.setHeader('WWW-Authenticate', failure.challenge);
    return new ApiError(HttpStatus.UNAUTHORIZED, failure.message);
  }
}

function keyOf(accessKeyId: string): string {
  return accessKeyId.slice(0, MAX_KEY_LENGTH);
}
