import {
  LakefsBadRequestError,
  LakefsConflictError,
  LakefsForbiddenError,
  LakefsNotFoundError,
  LakefsPreconditionFailedError,
  LakefsReadOnlyRepositoryError,
  LakefsServerError,
  LakefsTooManyRequestsError,
  LakefsUnauthorizedError,
  lakefsErrorFromResponse,
} from './lakefs.errors';

describe('lakefsErrorFromResponse', () => {
  it.each([
    [400, 'bad', LakefsBadRequestError, 'BAD_REQUEST', false],
    [401, 'error authenticating request', LakefsUnauthorizedError, 'UNAUTHORIZED', false],
    [403, 'insufficient permissions', LakefsForbiddenError, 'FORBIDDEN', false],
    [403, 'read-only repository', LakefsReadOnlyRepositoryError, 'READ_ONLY_REPOSITORY', false],
    [404, 'not found', LakefsNotFoundError, 'NOT_FOUND', false],
    [409, 'already exists', LakefsConflictError, 'CONFLICT', false],
    [412, 'precondition failed', LakefsPreconditionFailedError, 'PRECONDITION_FAILED', false],
    [429, 'slow down', LakefsTooManyRequestsError, 'TOO_MANY_REQUESTS', true],
    [500, 'boom', LakefsServerError, 'SERVER_ERROR', true],
    [503, 'unavailable', LakefsServerError, 'SERVER_ERROR', true],
  ])('maps %i "%s" to its typed error', (status, message, type, code, retryable) => {
    const error = lakefsErrorFromResponse('GET /repositories/r', status, message);
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toBe(`lakeFS GET /repositories/r: ${status} ${message}`);
  });

  it('keeps a read-only refusal a kind of forbidden', () => {
    expect(lakefsErrorFromResponse('POST /x', 403, 'read-only repository')).toBeInstanceOf(LakefsForbiddenError);
  });
});
