import type { NextFunction, Request, Response } from 'express';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a Content-Type header names JSON (parameters such as charset allowed). */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType?.split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * Writes carry JSON or nothing: a body or a Content-Type other than application/json is 415.
 * A browser cannot send JSON to another site without a CORS preflight (which the API never
 * grants), so forms and text/plain posts from other sites never reach a route.
 */
export function jsonBodiesOnly(request: Request, response: Response, next: NextFunction): void {
  if (!WRITES.has(request.method)) return next();
  const contentType = request.headers['content-type'];
  const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  if (isJsonContentType(contentType) || (contentType === undefined && !hasBody)) return next();
  const got = contentType === undefined ? 'a body without Content-Type' : `Content-Type "${contentType.slice(0, 100)}"`;
  response.status(415).json({ message: `request bodies must be JSON (Content-Type: application/json); got ${got}` });
}
