/** Shapes of the lakeFS API (api/swagger.yml of treeverse/lakeFS) that lakemirror uses. */

export interface LakefsUser {
  id: string;
  creation_date: number;
  friendly_name?: string;
  email?: string;
}

export interface Repository {
  id: string;
  creation_date: number;
  default_branch: string;
  storage_namespace: string;
  storage_id?: string;
  read_only?: boolean;
}

export interface RepositoryCreation {
  name: string;
  storage_namespace: string;
  default_branch?: string;
  sample_data?: boolean;
  read_only?: boolean;
}

/** A branch or tag: its name and the commit it points at. */
export interface Ref {
  id: string;
  commit_id: string;
}

export interface Commit {
  id: string;
  parents: string[];
  committer: string;
  message: string;
  /** Unix epoch seconds. */
  creation_date: number;
  meta_range_id: string;
  metadata?: Record<string, string>;
  generation?: number;
  version?: number;
}

export interface CommitCreation {
  message: string;
  metadata?: Record<string, string>;
  /** Unix epoch seconds; lakeFS uses "now" when absent. */
  date?: number;
  allow_empty?: boolean;
  force?: boolean;
}

/** CreateCommitRecord: a commit written with an ID and fields given by the caller. */
export interface CommitRecordCreation {
  commit_id: string;
  version: number;
  committer: string;
  message: string;
  metarange_id: string;
  creation_date: number;
  parents: string[];
  metadata?: Record<string, string>;
  generation: number;
  force?: boolean;
}

export interface ObjectStats {
  path: string;
  path_type: 'object' | 'common_prefix';
  physical_address: string;
  physical_address_expiry?: number;
  checksum: string;
  size_bytes?: number;
  mtime: number;
  metadata?: Record<string, string>;
  content_type?: string;
}

export interface DiffEntry {
  type: 'added' | 'removed' | 'changed' | 'conflict' | 'prefix_changed';
  path: string;
  path_type: 'object' | 'common_prefix';
  size_bytes?: number;
}

export interface Pagination {
  has_more: boolean;
  next_offset: string;
  results: number;
  max_per_page: number;
}

export interface PagedResponse<T> {
  pagination: Pagination;
  results: T[];
}
