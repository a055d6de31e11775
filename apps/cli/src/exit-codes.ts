import { ApiError, ApiUnreachableError } from './api-client';
import { UsageError } from './cli-args';

/** What the CLI's exit status means; scripts may rely on these values. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  denied: 3,
  notFound: 4,
  conflict: 5,
  rejected: 6,
  unavailable: 7,
  inconsistent: 8,
} as const;

export const EXIT_CODES_HELP = [
  'exit status: 0 success; 1 unexpected failure; 2 bad usage; 3 authentication or permission refused (401/403);',
  '             4 not found (404); 5 conflict or not ready, e.g. stale, paused, pending (409);',
  '             6 other refused request (4xx); 7 API unreachable or failing (5xx); 8 an audit found files missing',
].join('\n');

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof ApiUnreachableError) return EXIT.unavailable;
  if (!(error instanceof ApiError)) return EXIT.failed;
  if (error.status === 401 || error.status === 403) return EXIT.denied;
  if (error.status === 404) return EXIT.notFound;
  if (error.status === 409) return EXIT.conflict;
  if (error.status >= 500) return EXIT.unavailable;
  return EXIT.rejected;
}
