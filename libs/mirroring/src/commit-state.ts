/**
 * Where a source commit stands on a mirror: discovered (`pending`), its checks planned and
 * running (`verifying`), every object proven present (`verified`), its record created on the
 * mirror lakeFS (`recorded`), or stopped by a cause no retry can fix (`failed`, until an operator
 * retries it). Stored in PostgreSQL: do not rename a state without a migration.
 */
export type CommitState = 'pending' | 'verifying' | 'verified' | 'recorded' | 'failed';

/** The states of a commit not yet recorded on the mirror. */
export type UnfinishedCommitState = Exclude<CommitState, 'recorded'>;
