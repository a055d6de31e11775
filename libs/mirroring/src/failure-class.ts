/**
 * Why a commit failed for good. Stored in PostgreSQL and used as a metrics label, so the list is
 * short and closed; a new value goes with the alert and docs/pipeline.md.
 */
export type CommitFailureReason = 'destination_rejected' | 'region_not_configured' | 'corrupt_metadata' | 'malformed_address';

export const COMMIT_FAILURE_REASONS: readonly CommitFailureReason[] = [
  'destination_rejected',
  'region_not_configured',
  'corrupt_metadata',
  'malformed_address',
];

/**
 * A failure as the pipeline observed it, in facts rather than message text:
 * - `destination-answer`: the destination lakeFS answered a write with an HTTP error status;
 * - `metadata-unreadable`: a metarange or range file was asked for in the mirror region and the
 *   reader refused it (its RangeReaderError code: NOT_FOUND when it is not there);
 * - `region-not-configured`: the mirror's region is not in this process's configuration;
 * - `malformed-address`: a metadata file ID or an object address that is no valid location;
 * - `other`: anything else, network errors and time-outs included.
 */
export type ObservedFailure =
  | { kind: 'destination-answer'; status: number }
  | { kind: 'metadata-unreadable'; code: string }
  | { kind: 'region-not-configured' }
  | { kind: 'malformed-address' }
  | { kind: 'other' };

export type FailureClass = { permanent: false } | { permanent: true; reason: CommitFailureReason };

const TRANSIENT: FailureClass = { permanent: false };

// 408 is a time-out, 409 a concurrent change, 425 and 429 ask to come back later: all can heal.
const TRANSIENT_CLIENT_STATUSES = new Set([408, 409, 425, 429]);

/**
 * Whether retrying can fix a failure. Transient stays transient: anything not known to be final
 * (network errors, 5xx, 429, time-outs, an object not replicated yet, an unreachable object
 * store) is retried with backoff. Final: the destination refusing a write with another 4xx, a
 * metadata file present but unreadable, a region missing from the configuration, an address
 * that locates nothing.
 */
export function classifyFailure(failure: ObservedFailure): FailureClass {
  switch (failure.kind) {
    case 'destination-answer':
      if (failure.status >= 400 && failure.status < 500 && !TRANSIENT_CLIENT_STATUSES.has(failure.status)) {
        return { permanent: true, reason: 'destination_rejected' };
      }
      return TRANSIENT;
    case 'metadata-unreadable':
      return failure.code === 'NOT_FOUND' ? TRANSIENT : { permanent: true, reason: 'corrupt_metadata' };
    case 'region-not-configured':
      return { permanent: true, reason: 'region_not_configured' };
    case 'malformed-address':
      return { permanent: true, reason: 'malformed_address' };
    case 'other':
      return TRANSIENT;
  }
}
