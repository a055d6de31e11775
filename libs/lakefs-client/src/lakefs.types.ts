import type { components } from './generated/lakefs-api';

/**
 * Shapes of the lakeFS API that lakemirror uses: the schemas of the pinned lakeFS version's
 * api/swagger.yml (generated/lakefs-api.ts, by scripts/lakefs-api-types.sh), under lakemirror's names.
 */
type Schemas = components['schemas'];

export type LakefsUser = Schemas['User'];
export type Repository = Schemas['Repository'];
export type RepositoryCreation = Schemas['RepositoryCreation'];
/** A branch or tag: its name and the commit it points at. */
export type Ref = Schemas['Ref'];
/** `creation_date` is in Unix epoch seconds. */
export type Commit = Schemas['Commit'];
/** `date` (Unix epoch seconds) overrides the creation date; lakeFS uses "now" when absent. */
export type CommitCreation = Schemas['CommitCreation'];
/** CreateCommitRecord: a commit written with an ID and fields given by the caller. */
export type CommitRecordCreation = Schemas['CommitRecordCreation'];
export type BranchCreation = Schemas['BranchCreation'];
export type TagCreation = Schemas['TagCreation'];
export type Merge = Schemas['Merge'];
export type ObjectStats = Schemas['ObjectStats'];
export type DiffEntry = Schemas['Diff'];
/** Where a metarange or range file is, relative to the repository's storage namespace. */
export type StorageUri = Schemas['StorageURI'];
/** A refs dump: metarange IDs (in the repository's namespace) of its commits, branches and tags. */
export type RefsDump = Schemas['RefsDump'];
/** A refs dump task; `refs` once it is done without error. */
export type RefsDumpStatus = Schemas['RepositoryDumpStatus'];
export type RefsRestoreStatus = Schemas['RepositoryRestoreStatus'];

export type Pagination = Schemas['Pagination'];

/** A page of a listing; every lakeFS list response (RepositoryList, RefList, CommitList, ...) has this shape. */
export interface PagedResponse<T> {
  pagination: Pagination;
  results: T[];
}

export type RepositoryList = Schemas['RepositoryList'];
export type RefList = Schemas['RefList'];
export type CommitList = Schemas['CommitList'];
export type DiffList = Schemas['DiffList'];
export type ObjectStatsList = Schemas['ObjectStatsList'];
