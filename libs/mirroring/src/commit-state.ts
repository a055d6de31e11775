/**
 * Where a source commit stands on a mirror: discovered (`pending`), its checks planned and
 * running (`verifying`), every object proven present (`verified`), its record created on the
 * mirror lakeFS (`recorded`). Stored in PostgreSQL: do not rename a state without a migration.
 */
export type CommitState = 'pending' | 'verifying' | 'verified' | 'recorded';

/** The states of a commit the pipeline still has work for. */
export type UnfinishedCommitState = Exclude<CommitState, 'recorded'>;
