/** What went wrong talking to lakeFS, decided from the HTTP status (and lakeFS's message where the status is shared). */
export type LakefsErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'READ_ONLY_REPOSITORY'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'TOO_MANY_REQUESTS'
  | 'SERVER_ERROR'
  | 'UNAVAILABLE';

/**
 * An error from a lakeFS call. Carries the operation (method and path, never headers or
 * credentials), the HTTP status and lakeFS's own message.
 */
export class LakefsError extends Error {
  constructor(
    readonly code: LakefsErrorCode,
    readonly operation: string,
    readonly status: number | undefined,
    readonly lakefsMessage: string,
  ) {
    super(`lakeFS ${operation}: ${status ?? 'no response'} ${lakefsMessage}`.trim());
    this.name = new.target.name;
  }

  /** Whether repeating the same call later may succeed. */
  get retryable(): boolean {
    return this.code === 'TOO_MANY_REQUESTS' || this.code === 'SERVER_ERROR' || this.code === 'UNAVAILABLE';
  }
}

export class LakefsBadRequestError extends LakefsError {}
export class LakefsUnauthorizedError extends LakefsError {}
export class LakefsForbiddenError extends LakefsError {}
/** A write to a repository created with read_only: true, without force. */
export class LakefsReadOnlyRepositoryError extends LakefsForbiddenError {}
export class LakefsNotFoundError extends LakefsError {}
export class LakefsConflictError extends LakefsError {}
export class LakefsPreconditionFailedError extends LakefsError {}
export class LakefsTooManyRequestsError extends LakefsError {}
export class LakefsServerError extends LakefsError {}
/** No HTTP response: connection refused or reset, DNS failure, time-out. */
export class LakefsUnavailableError extends LakefsError {}

const READ_ONLY_MESSAGE = /read[- ]only repository/i;

/** Maps a lakeFS error response to its typed error. */
export function lakefsErrorFromResponse(operation: string, status: number, message: string): LakefsError {
  if (READ_ONLY_MESSAGE.test(message) && (status === 403 || status === 400 || status === 409)) {
    return new LakefsReadOnlyRepositoryError('READ_ONLY_REPOSITORY', operation, status, message);
  }
  switch (status) {
    case 400:
      return new LakefsBadRequestError('BAD_REQUEST', operation, status, message);
    case 401:
      return new LakefsUnauthorizedError('UNAUTHORIZED', operation, status, message);
    case 403:
      return new LakefsForbiddenError('FORBIDDEN', operation, status, message);
    case 404:
      return new LakefsNotFoundError('NOT_FOUND', operation, status, message);
    case 409:
      return new LakefsConflictError('CONFLICT', operation, status, message);
    case 412:
      return new LakefsPreconditionFailedError('PRECONDITION_FAILED', operation, status, message);
    case 429:
      return new LakefsTooManyRequestsError('TOO_MANY_REQUESTS', operation, status, message);
    default:
      if (status >= 500) return new LakefsServerError('SERVER_ERROR', operation, status, message);
      return new LakefsBadRequestError('BAD_REQUEST', operation, status, message);
  }
}
