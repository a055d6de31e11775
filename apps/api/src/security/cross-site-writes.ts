import type { Request } from 'express';
import { isJsonContentType } from './json-bodies-only.middleware';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a write through a browser UI held open with basic credentials (Bull Board) could come from
 * another site, or undefined when it cannot. Browsers send Origin with writes, and send PUT, PATCH,
 * DELETE or a JSON POST to another site only after a CORS preflight, which the API never grants:
 * what remains is a POST without JSON (a form), refused here whatever its body.
 */
export function crossSiteWriteRisk(request: Request): { status: 403 | 415; message: string } | undefined {
  if (SAFE.has(request.method)) return undefined;
  const origin = request.headers.origin;
  // "null" is the Origin of sandboxed frames and of some redirected requests: never this site.
  if (origin !== undefined && (origin === 'null' || hostOf(origin) !== request.headers.host?.toLowerCase())) {
    return { status: 403, message: `cross-site request refused: Origin ${origin.slice(0, 200)} is not this site` };
  }
  if (request.method === 'POST' && !isJsonContentType(request.headers['content-type'])) {
    return { status: 415, message: 'Bull Board accepts POST requests with Content-Type: application/json only' };
  }
  return undefined;
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}
