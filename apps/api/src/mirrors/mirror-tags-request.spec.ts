import type { HttpException } from '@nestjs/common';
import { parseMirrorRequest } from './mirror-request';
import { parseMirrorUpdateRequest } from './mirror-update-request';

/** The 400's per-field messages, or a failure when the body was accepted. */
function refusal(parse: (body: unknown) => unknown, body: unknown): { status: number; errors?: Record<string, string> } {
  try {
    parse(body);
  } catch (error) {
    const http = error as HttpException;
    return { status: http.getStatus(), ...(http.getResponse() as { errors?: Record<string, string> }) };
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('mirror_tags in mirror requests', () => {
  const create = { name: 'sales-eu', region: 'eu', storage_namespace: 's3://bucket/mirrors/sales' };

  it('is optional on create (the mirror then follows tags) and taken when a boolean', () => {
    expect(parseMirrorRequest(create).mirror_tags).toBeUndefined();
    expect(parseMirrorRequest({ ...create, mirror_tags: false }).mirror_tags).toBe(false);
  });

  it('is refused on create, naming the field, when not a boolean', () => {
    expect(refusal(parseMirrorRequest, { ...create, mirror_tags: 'yes' })).toMatchObject({ status: 400, errors: { mirror_tags: 'must be true or false' } });
  });

  it('is a change on its own in an update', () => {
    expect(parseMirrorUpdateRequest({ mirror_tags: false })).toEqual({ mirror_tags: false });
    expect(refusal(parseMirrorUpdateRequest, { mirror_tags: null })).toMatchObject({ status: 400, errors: { mirror_tags: 'must be true or false' } });
  });
});
