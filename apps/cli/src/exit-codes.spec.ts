import { ApiError, ApiUnreachableError } from './api-client';
import { UsageError } from './cli-args';
import { exitCodeFor } from './exit-codes';

describe('exitCodeFor', () => {
  it('gives each kind of refusal its own exit status', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new ApiError(401, 'x'))).toBe(3);
    expect(exitCodeFor(new ApiError(403, 'x'))).toBe(3);
    expect(exitCodeFor(new ApiError(404, 'x'))).toBe(4);
    expect(exitCodeFor(new ApiError(409, 'x'))).toBe(5);
    expect(exitCodeFor(new ApiError(400, 'x'))).toBe(6);
    expect(exitCodeFor(new ApiError(429, 'x'))).toBe(6);
    expect(exitCodeFor(new ApiError(503, 'x'))).toBe(7);
    expect(exitCodeFor(new ApiUnreachableError('x'))).toBe(7);
    expect(exitCodeFor(new Error('x'))).toBe(1);
  });
});
