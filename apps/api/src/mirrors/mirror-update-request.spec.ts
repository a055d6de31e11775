import type { HttpException } from '@nestjs/common';
import { parseMirrorUpdateRequest } from './mirror-update-request';

/** The 400's per-field messages, or a failure when the body was accepted. */
function refusal(body: unknown): { status: number; message: string; errors?: Record<string, string> } {
  try {
    parseMirrorUpdateRequest(body);
  } catch (error) {
    const http = error as HttpException;
    return { status: http.getStatus(), ...(http.getResponse() as { message: string; errors?: Record<string, string> }) };
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('parseMirrorUpdateRequest', () => {
  it('takes a branch filter, leaving out what the request leaves out (merge patch)', () => {
    expect(parseMirrorUpdateRequest({ branches: { include: ['main', 'release-*'], exclude: ['release-old*'] } })).toEqual({
      branches: { include: ['main', 'release-*'], exclude: ['release-old*'] },
    });
    expect(parseMirrorUpdateRequest({ branches: { exclude: ['tmp-*'] }, unfollowed_branches: 'delete' })).toEqual({
      branches: { exclude: ['tmp-*'] },
      unfollowed_branches: 'delete',
    });
    expect(parseMirrorUpdateRequest({ branches: {} })).toEqual({ branches: {} });
  });

  it('names the pattern at fault by its place in the list', () => {
    const { status, errors, message } = refusal({ branches: { include: ['main', 'release-['], exclude: ['ok', '{a,b'] } });
    expect(status).toBe(400);
    expect(errors).toEqual({
      'branches.include.1': 'is not a valid branch pattern: unclosed "[" at position 8',
      'branches.exclude.1': 'is not a valid branch pattern: unclosed "{" at position 0',
    });
    expect(message).toContain('branches.include.1 is not a valid branch pattern');
  });

  it.each([
    ['branches.include', 'must list at least one pattern ("*" for every branch)', { branches: { include: [] } }],
    ['branches.include.0', 'is not a valid branch pattern: empty pattern at position 0', { branches: { include: [''] } }],
    ['branches.include.1', 'must be a string', { branches: { include: ['main', 7] } }],
    ['branches.include', 'must be a list of branch patterns', { branches: { include: 'main' } }],
    ['branches', 'must be an object with "include" and "exclude" lists of branch patterns', { branches: ['main'] }],
    ['branches.includes', 'is not a known field', { branches: { includes: ['main'] } }],
    ['branches.include.0', 'is longer than 256 characters', { branches: { include: ['x'.repeat(257)] } }],
    ['branches.include', 'must list at most 100 patterns', { branches: { include: Array.from({ length: 101 }, (_, i) => `b${i}`) } }],
    ['unfollowed_branches', 'must be "keep" or "delete"', { branches: { include: ['main'] }, unfollowed_branches: 'drop' }],
    ['unfollowed_branches', 'applies only with "branches"', { unfollowed_branches: 'delete' }],
    ['name', 'is not a known field', { branches: { include: ['main'] }, name: 'other' }],
    ['body', 'changes nothing', {}],
  ])('400 naming %s: %s', (field, problem, body) => {
    const { status, errors } = refusal(body);
    expect(status).toBe(400);
    expect(errors).toEqual({ [field]: problem });
  });

  it('400 for a body that is no JSON object', () => {
    const { status, message } = refusal(['branches']);
    expect(status).toBe(400);
    expect(message).toMatch(/^request body must be a JSON object with at least one of: branches\b/);
  });
});
