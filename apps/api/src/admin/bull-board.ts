import { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { ALL_QUEUES } from '@lakemirror/queues';
import { PipelineQueues } from '@lakemirror/pipeline';
import type { NextFunction, Request, Response } from 'express';
import { LakefsAuthenticatorService } from '../auth/lakefs-authenticator.service';
import type { ApiSettings } from '../api-settings';

export const BULL_BOARD_PATH = '/service/replication/v1/admin/queues';

/**
 * Bull Board for the pipeline's queues, mounted on the API's Express instance (outside Nest's
 * guards, so it checks the same lakeFS credentials itself) and open to admins only.
 */
export function mountBullBoard(app: INestApplication, settings: ApiSettings): void {
  // The pipeline's own queues (its connection and prefix), closed with it.
  const pipelineQueues = app.get(PipelineQueues);
  const queues = ALL_QUEUES.map((name) => pipelineQueues.queue(name));
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter: adapter });
  const authenticator = app.get(LakefsAuthenticatorService);
  const adminsOnly = async (request: Request, response: Response, next: NextFunction) => {
    const header = request.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString() : '';
    const colon = decoded.indexOf(':');
    let userId: string | undefined;
    try {
      userId = colon > 0 ? await authenticator.userFor(decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
    } catch {
      // lakeFS could not be asked: an outage, not a wrong password.
      response.status(503).json({ message: 'cannot verify credentials: the source lakeFS is unreachable; try again' });
      return;
    }
    if (!userId) {
      response
        .setHeader('WWW-Authenticate', 'Basic realm="lakemirror", charset="UTF-8"')
        .status(401)
        .json({ message: 'authentication required: HTTP basic with your lakeFS access key ID and secret' });
      return;
    }
    if (!settings.adminUsers.includes(userId)) {
      response.status(403).json({ message: `user ${userId} is not a lakemirror admin (LAKEMIRROR_ADMIN_USERS)` });
      return;
    }
    next();
  };
  app.use(BULL_BOARD_PATH, adminsOnly, adapter.getRouter());
}
