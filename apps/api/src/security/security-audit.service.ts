import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { AuditService } from '../common/audit.service';
import { clientAddress } from './client-address';
import { FixedWindowCounter } from './fixed-window-counter';

/** Refusals the audit log records. */
export type RefusalAction = 'auth.failed' | 'auth.missing' | 'auth.throttled' | 'auth.forbidden' | 'write.refused';

// Sizes of the audit_log columns: an attacker chooses paths and access key IDs.
const MAX_ACTOR = 256;
const MAX_TARGET = 1024;
const MAX_DETAIL_VALUE = 256;

/**
 * Writes authentication refusals (401, 403, 429) and Bull Board actions to the audit log. A failed
 * write is logged, never turned into a 500: the refusal stands either way. Noisy events (no
 * credentials at all, a client already throttled) are written once per client and minute.
 */
@Injectable()
export class SecurityAuditService {
  private readonly noisy = new FixedWindowCounter(1, 60_000);

  constructor(
    private readonly audit: AuditService,
    private readonly log: PinoLogger,
  ) {}

  /** Records a refused request; `onceAMinutePer` names the key under which repeats are dropped for a minute. */
  async refused(
    request: Request,
    action: RefusalAction,
    status: number,
    reason: string,
    options: { actor?: string; accessKeyId?: string; onceAMinutePer?: string } = {},
  ): Promise<void> {
    if (options.onceAMinutePer !== undefined && this.noisy.add(`${action}\u0000${options.onceAMinutePer}`) > 1) return;
    const detail: Record<string, unknown> = { client: clientAddress(request), method: request.method, status, reason };
    if (options.accessKeyId !== undefined) detail.access_key_id = options.accessKeyId.slice(0, MAX_DETAIL_VALUE);
    await this.write(options.actor ?? 'anonymous', action, targetOf(request), 'failure', detail);
  }

  /**
   * Records an admin's action through Bull Board once the connection is done with it (answered,
   * or abandoned by the client: `answered` false), with the status it got.
   */
  recordBoardAction(request: Request, response: Response, userId: string): void {
    // Taken now: routing rewrites the request's path on its way through Bull Board's own app.
    const target = targetOf(request);
    const client = clientAddress(request);
    response.once('close', () => {
      const answered = response.writableFinished;
      const detail = { client, method: request.method, status: response.statusCode, answered };
      const result = answered && response.statusCode < 400 ? 'success' : 'failure';
      void this.write(userId, `bull-board.${request.method.toLowerCase()}`, target, result, detail);
    });
  }

  private async write(actor: string, action: string, target: string, result: 'success' | 'failure', detail: Record<string, unknown>): Promise<void> {
    try {
      await this.audit.append(actor.slice(0, MAX_ACTOR), action, target, result, detail);
    } catch (error) {
      this.log.warn({ err: error, action, target }, 'could not write the audit log');
    }
  }
}

/** The path a request was for, without its query string. */
function targetOf(request: Request): string {
  return `${request.baseUrl}${request.path}`.slice(0, MAX_TARGET);
}
