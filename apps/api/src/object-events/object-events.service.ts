import { Inject, Injectable } from '@nestjs/common';
import { LateObjects, ObjectEventsError, RecheckedCheck, createdObjectsOf } from '@lakemirror/pipeline';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { API_SETTINGS, ApiSettings } from '../api-settings';
import { parseAuthorization } from '../auth/basic-credentials';
import { AuditService } from '../common/audit.service';
import { badRequest, notFound } from '../common/api-errors';
import { AuthFailureLimiter } from '../security/auth-failure-limiter.service';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Who the audit log names for a re-check an object-created event triggered. */
export const OBJECT_EVENTS_ACTOR = 'object-events';

/**
 * Object-created events of the mirror buckets (MinIO's webhook, S3 through EventBridge):
 * authenticated by the bearer token LAKEMIRROR_OBJECT_EVENTS_TOKEN; a check waiting for an
 * object that arrived runs now. Only the re-checks are written to the audit log: most events
 * name objects no check waits for, and change nothing.
 */
@Injectable()
export class ObjectEventsReceiver {
  private readonly tokenDigest?: Buffer;

  constructor(
    private readonly lateObjects: LateObjects,
    private readonly failures: AuthFailureLimiter,
    private readonly audit: AuditService,
    @Inject(API_SETTINGS) settings: ApiSettings,
  ) {
    this.tokenDigest = settings.objectEventsToken && digest(settings.objectEventsToken.reveal());
  }

  async receive(request: Request, response: Response, body: unknown): Promise<{ objects: number; rechecked: number }> {
    await this.authenticate(request, response);
    let objects;
    try {
      objects = createdObjectsOf(body);
    } catch (error) {
      if (error instanceof ObjectEventsError) throw badRequest(`not an object-created event: ${error.message}`, { [error.field]: error.message });
      throw error;
    }
    const rechecked = await this.lateObjects.arrived(objects, (check) => this.audited(check));
    for (const check of rechecked) await this.audited(check);
    return { objects: objects.length, rechecked: rechecked.length };
  }

  private async audited(check: RecheckedCheck): Promise<void> {
    await this.audit.append(OBJECT_EVENTS_ACTOR, 'mirror.commit.recheck', `mirror:${check.mirrorId}/commit:${check.commitId}`, 'success', {
      trigger: 'object-created',
      key: check.key,
      job: check.jobId,
    });
  }

  private async authenticate(request: Request, response: Response): Promise<void> {
    if (!this.tokenDigest) throw notFound('object events are not enabled (LAKEMIRROR_OBJECT_EVENTS_TOKEN is not set)');
    await this.failures.assertMayTry(request, response);
    const credentials = parseAuthorization(request.headers.authorization);
    // Digests have equal lengths, so the comparison takes the same time whatever was sent.
    if (credentials.kind === 'bearer' && timingSafeEqual(digest(credentials.token), this.tokenDigest)) return;
    throw await this.failures.failed(request, response, {
      reason: credentials.kind === 'bearer' ? 'wrong object events token' : 'no object events token',
      message: 'authentication required: Authorization: Bearer <LAKEMIRROR_OBJECT_EVENTS_TOKEN>',
      challenge: 'Bearer realm="lakemirror object events"',
      anonymous: credentials.kind === 'missing',
    });
  }
}
