import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from './api-errors';

/**
 * Every error becomes JSON `{ message, errors? }`. Errors the API did not anticipate are logged
 * and answered 500 without details; body-parser errors keep their 4xx status (malformed JSON, too large).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('api');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof HttpException) {
      const body = error.getResponse();
      const payload = typeof body === 'string' ? { message: body } : (body as Record<string, unknown>);
      let message = Array.isArray(payload.message) ? payload.message.join('; ') : payload.message;
      // Nest turns body-parser's JSON SyntaxError into a plain 400 before filters run.
      if (!(error instanceof ApiError) && error.getStatus() === 400) message = `request body is not valid JSON: ${message}`;
      response.status(error.getStatus()).json({ ...payload, message, statusCode: undefined, error: undefined });
      return;
    }
    const status = (error as { status?: number; type?: string }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (error as { type?: string }).type;
      const message =
        type === 'entity.too.large' ? 'request body too large' : type === 'entity.parse.failed' ? 'request body is not valid JSON' : (error as Error).message;
      response.status(status).json({ message });
      return;
    }
    this.logger.error({ err: error }, 'unexpected error');
    response.status(500).json({ message: 'internal error' });
  }
}
