import { HttpException, INestApplication, Logger } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { ALL_QUEUES } from '@lakemirror/queues';
import { PipelineQueues } from '@lakemirror/pipeline';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Caller } from '../auth/caller';
import { RequestAuthenticator } from '../auth/request-authenticator.service';
import { crossSiteWriteRisk } from '../security/cross-site-writes';
import { SecurityAuditService } from '../security/security-audit.service';

export const BULL_BOARD_PATH = '/service/replication/v1/admin/queues';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Bull Board for the pipeline's queues, mounted on the API's Express instance (outside Nest's
 * guards, so it authenticates with the API's own RequestAuthenticator) and open to admins only.
 * Writes that could come from another site are refused; every write is audited with its result.
 */
export function mountBullBoard(app: INestApplication): void {
  // The pipeline's own queues (its connection and prefix), closed with it.
  const pipelineQueues = app.get(PipelineQueues);
  const queues = ALL_QUEUES.map((name) => pipelineQueues.queue(name));
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter: adapter });
  const authenticator = app.get(RequestAuthenticator);
  const audit = app.get(SecurityAuditService);
  const logger = new Logger('bull-board');

  const adminsOnly = async (request: Request, response: Response, next: NextFunction) => {
    let caller: Caller;
    try {
      caller = await authenticator.callerOf(request, response);
    } catch (error) {
      if (!(error instanceof HttpException)) {
        logger.error({ err: error }, 'authentication failed unexpectedly');
        response.status(500).json({ message: 'internal error' });
        return;
      }
      response.status(error.getStatus()).json(error.getResponse());
      return;
    }
    const risk = crossSiteWriteRisk(request);
    const refusal = !caller.isAdmin ? { status: 403, message: `user ${caller.userId} is not a lakemirror admin (LAKEMIRROR_ADMIN_USERS)` } : risk;
    if (refusal) {
      await audit.refused(request, refusal.status === 403 ? 'auth.forbidden' : 'write.refused', refusal.status, refusal.message, { actor: caller.userId });
      response.status(refusal.status).json({ message: refusal.message });
      return;
    }
    if (!READS.has(request.method)) audit.recordBoardAction(request, response, caller.userId);
    next();
  };
  // Bull Board serves from an Express app of its own, which would announce itself.
  const board = adapter.getRouter() as Express;
  board.disable('x-powered-by');
  app.use(BULL_BOARD_PATH, adminsOnly, board);
}
