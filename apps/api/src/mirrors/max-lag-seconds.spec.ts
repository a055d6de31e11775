import type { HttpException } from '@nestjs/common';
import { parseMirrorRequest } from './mirror-request';
import { parseMirrorUpdateRequest } from './mirror-update-request';

const create = { name: 'sales-eu', region: 'eu', storage_namespace: 's3://eu-bucket/sales' };

/** The per-field messages of the 400 `parse` throws for `body`. */
function errorsOf(parse: (body: unknown) => unknown, body: unknown): Record<string, string> | undefined {
  try {
    parse(body);
  } catch (error) {
    const http = error as HttpException;
    expect(http.getStatus()).toBe(400);
    return (http.getResponse() as { errors?: Record<string, string> }).errors;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('max_lag_seconds', () => {
  it('is optional on create, and taken as whole seconds or null (no limit)', () => {
    expect(parseMirrorRequest(create).max_lag_seconds).toBeUndefined();
    expect(parseMirrorRequest({ ...create, max_lag_seconds: 300 }).max_lag_seconds).toBe(300);
    expect(parseMirrorRequest({ ...create, max_lag_seconds: null }).max_lag_seconds).toBeNull();
  });

  it('is a change of its own in a PATCH, null removing the limit', () => {
    expect(parseMirrorUpdateRequest({ max_lag_seconds: 60 })).toEqual({ max_lag_seconds: 60 });
    expect(parseMirrorUpdateRequest({ max_lag_seconds: null })).toEqual({ max_lag_seconds: null });
  });

  it.each([
    [0, 'must be at least 1'],
    [-5, 'must be at least 1'],
    [1.5, 'must be a whole number of seconds'],
    ['60', 'must be a whole number of seconds or null'],
    [31_536_001, 'must be at most 31536000 (one year)'],
  ])('400 naming max_lag_seconds for %p: %s', (value, message) => {
    expect(errorsOf(parseMirrorRequest, { ...create, max_lag_seconds: value })).toEqual({ max_lag_seconds: message });
    expect(errorsOf(parseMirrorUpdateRequest, { max_lag_seconds: value })).toEqual({ max_lag_seconds: message });
  });
});
