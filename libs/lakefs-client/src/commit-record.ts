import type { Commit, CommitRecordCreation } from './lakefs.types';

/**
 * The CreateCommitRecord request that reproduces `commit` exactly (same ID, metarange, parents,
 * message, metadata, creation date and generation) on another repository. lakeFS recomputes the
 * ID from these fields, so a record built from anything else is refused.
 */
export function commitRecordOf(commit: Commit, options: { force?: boolean } = {}): CommitRecordCreation {
  return {
    commit_id: commit.id,
    version: commit.version ?? 1,
    committer: commit.committer,
    message: commit.message,
    metarange_id: commit.meta_range_id,
    creation_date: commit.creation_date,
    parents: commit.parents,
    metadata: commit.metadata ?? {},
    generation: commit.generation ?? 0,
    force: options.force,
  };
}
