import type { CommitFailureReason } from '@lakemirror/mirroring';
import type { RangeReaderError } from '@lakemirror/range-reader';

/**
 * Something a commit needs has not reached the mirror region yet: the job fails and BullMQ
 * retries it with backoff. Not a fault of lakemirror's; replication is simply behind.
 */
export class NotReplicatedYetError extends Error {
  readonly code = 'NOT_REPLICATED_YET';

  constructor(
    readonly mirrorId: string,
    readonly commitId: string,
    readonly missingKeys: string[],
  ) {
    const shown = missingKeys.slice(0, 3).join(', ') + (missingKeys.length > 3 ? ` and ${missingKeys.length - 3} more` : '');
    super(`commit ${commitId} of mirror ${mirrorId}: ${missingKeys.length} object(s) not in the mirror region yet: ${shown}`);
    this.name = 'NotReplicatedYetError';
  }
}

/** A mirror's plan lock (MirrorPlanLock) stayed taken longer than a batch can take: the job is retried with backoff. */
export class PlanLockBusyError extends Error {
  readonly code = 'PLAN_LOCK_BUSY';

  constructor(
    readonly mirrorId: string,
    waitedMs: number,
  ) {
    super(`mirror ${mirrorId}: another plan job held the mirror's plan lock for ${waitedMs / 1000} s; retried later`);
    this.name = 'PlanLockBusyError';
  }
}

/** A commit's flow completed although some of its chunks are not checked: never promote it. */
export class IncompleteVerificationError extends Error {
  readonly code = 'INCOMPLETE_VERIFICATION';

  constructor(
    readonly mirrorId: string,
    readonly commitId: string,
    readonly uncheckedChunks: number,
  ) {
    super(`commit ${commitId} of mirror ${mirrorId}: flow completed with ${uncheckedChunks} chunk(s) unchecked; it will be verified again`);
    this.name = 'IncompleteVerificationError';
  }
}

/**
 * A failure no retry can fix (the rule is `classifyFailure` in libs/mirroring): the commit is
 * marked failed with `reason` and this message, its job ends without retries (BullMQ's
 * UnrecoverableError), and it waits for an operator's retry. `commitId` is absent when the
 * cause is the mirror's (its region): the job's commit is the one that fails.
 */
export abstract class PermanentPipelineError extends Error {
  abstract readonly code: string;
  abstract readonly reason: CommitFailureReason;

  protected constructor(
    readonly mirrorId: string,
    readonly commitId: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The destination lakeFS refused the commit record for good (a 4xx other than 408/409/425/429, or another commit under its ID). */
export class CommitRecordRejectedError extends PermanentPipelineError {
  readonly code = 'COMMIT_RECORD_REJECTED';
  readonly reason = 'destination_rejected';

  constructor(
    mirrorId: string,
    commitId: string,
    readonly status: number,
    lakefsMessage: string,
  ) {
    super(mirrorId, commitId, `commit ${commitId} of mirror ${mirrorId}: the mirror's lakeFS rejected its record (${status}): ${lakefsMessage}`);
  }
}

/** The mirror's region is not in this process's configuration: nothing of the mirror can be checked or recorded. */
export class RegionNotConfiguredError extends PermanentPipelineError {
  readonly code = 'REGION_NOT_CONFIGURED';
  readonly reason = 'region_not_configured';

  constructor(
    mirrorId: string,
    readonly region: string,
    readonly configured: string[],
  ) {
    super(mirrorId, undefined, `mirror ${mirrorId}: region ${region} is not configured (configured regions: ${configured.join(', ') || 'none'})`);
  }
}

/** A metarange or range file is in the mirror region but cannot be read: corrupt, truncated or not what it claims to be. */
export class CorruptMetadataError extends PermanentPipelineError {
  readonly code = 'CORRUPT_METADATA';
  readonly reason = 'corrupt_metadata';

  constructor(
    mirrorId: string,
    commitId: string,
    readonly readerError: RangeReaderError,
  ) {
    super(mirrorId, commitId, `commit ${commitId} of mirror ${mirrorId}: unreadable metadata file in the mirror region: ${readerError.message}`);
  }
}

/** A metadata file ID or an object address that locates nothing valid in the mirror namespace. */
export class MalformedAddressError extends PermanentPipelineError {
  readonly code = 'MALFORMED_ADDRESS';
  readonly reason = 'malformed_address';

  constructor(
    mirrorId: string,
    commitId: string,
    readonly address: string,
    why: string,
  ) {
    super(mirrorId, commitId, `commit ${commitId} of mirror ${mirrorId}: malformed address ${JSON.stringify(address.slice(0, 200))}: ${why}`);
  }
}
