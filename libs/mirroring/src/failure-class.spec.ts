import { COMMIT_FAILURE_REASONS, FailureClass, ObservedFailure, classifyFailure } from './failure-class';

const transient: FailureClass = { permanent: false };
const permanent = (reason: string) => ({ permanent: true, reason });

describe('classifyFailure', () => {
  it.each([
    [400, permanent('destination_rejected')],
    [401, permanent('destination_rejected')],
    [403, permanent('destination_rejected')],
    [404, permanent('destination_rejected')],
    [412, permanent('destination_rejected')],
    [422, permanent('destination_rejected')],
    [408, transient],
    [409, transient],
    [425, transient],
    [429, transient],
    [500, transient],
    [502, transient],
    [503, transient],
    [504, transient],
    [302, transient],
  ])('the destination answering %i: %j', (status, expected) => {
    expect(classifyFailure({ kind: 'destination-answer', status })).toEqual(expected);
  });

  it('retries a metadata file that is not there yet, and fails one that is there but unreadable', () => {
    expect(classifyFailure({ kind: 'metadata-unreadable', code: 'NOT_FOUND' })).toEqual(transient);
    for (const code of [
      'BAD_MAGIC',
      'TRUNCATED',
      'BAD_FOOTER',
      'BAD_BLOCK_HANDLE',
      'CHECKSUM_MISMATCH',
      'UNSUPPORTED',
      'CORRUPT_BLOCK',
      'UNDECODABLE_ENTRY',
      'WRONG_KIND',
    ]) {
      expect(classifyFailure({ kind: 'metadata-unreadable', code })).toEqual(permanent('corrupt_metadata'));
    }
  });

  it('fails a mirror whose region is not configured and an address that locates nothing', () => {
    expect(classifyFailure({ kind: 'region-not-configured' })).toEqual(permanent('region_not_configured'));
    expect(classifyFailure({ kind: 'malformed-address' })).toEqual(permanent('malformed_address'));
  });

  it('retries anything else: network errors, time-outs, an unreachable object store', () => {
    expect(classifyFailure({ kind: 'other' })).toEqual(transient);
  });

  it('gives only reasons from the closed list (a metrics label)', () => {
    const failures: ObservedFailure[] = [
      { kind: 'destination-answer', status: 400 },
      { kind: 'metadata-unreadable', code: 'BAD_MAGIC' },
      { kind: 'region-not-configured' },
      { kind: 'malformed-address' },
    ];
    const reasons = failures.map((f) => classifyFailure(f)).map((c) => (c.permanent ? c.reason : undefined));
    expect(new Set(reasons)).toEqual(new Set(COMMIT_FAILURE_REASONS));
  });
});
