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
