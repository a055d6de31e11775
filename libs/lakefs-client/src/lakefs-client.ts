import { LakefsTransport, LakefsTransportOptions } from './lakefs-transport';
import type {
  Commit,
  CommitCreation,
  CommitRecordCreation,
  DiffEntry,
  LakefsUser,
  ObjectStats,
  PagedResponse,
  Ref,
  Repository,
  RepositoryCreation,
} from './lakefs.types';
import { paginate } from './paginate';

const seg = encodeURIComponent;

export interface PageOptions {
  prefix?: string;
  /** Results per request (lakeFS caps it at 1000). */
  amount?: number;
}

export interface LogOptions {
  /** Commits per request; stop iterating to stop the walk. */
  amount?: number;
  firstParent?: boolean;
  /** Stop at this commit (included) when walking back. */
  stopAt?: string;
}

export interface ListObjectsOptions extends PageOptions {
  delimiter?: string;
  userMetadata?: boolean;
}

export interface CreateRepositoryOptions {
  /** Create without touching the storage namespace (used for mirrors of an existing namespace). */
  bare?: boolean;
}

/** A typed client for the subset of the lakeFS API that lakemirror needs. Paged listings are async iterators. */
export class LakefsClient {
  private readonly http: LakefsTransport;

  constructor(options: LakefsTransportOptions) {
    this.http = new LakefsTransport(options);
  }

  get endpoint(): string {
    return this.http.endpoint;
  }

  /** The user whose credentials this client holds. */
  async currentUser(): Promise<LakefsUser> {
    const body = await this.http.json<{ user: LakefsUser }>({ method: 'GET', path: '/user' });
    return body.user;
  }

  // Repositories

  listRepositories(options: PageOptions = {}): AsyncGenerator<Repository> {
    return paginate((after) =>
      this.http.json<PagedResponse<Repository>>({
        method: 'GET',
        path: '/repositories',
        query: { after, prefix: options.prefix, amount: options.amount },
      }),
    );
  }

  getRepository(repository: string): Promise<Repository> {
    return this.http.json({ method: 'GET', path: `/repositories/${seg(repository)}` });
  }

  createRepository(creation: RepositoryCreation, options: CreateRepositoryOptions = {}): Promise<Repository> {
    return this.http.json({ method: 'POST', path: '/repositories', query: { bare: options.bare }, json: creation });
  }

  /** `force` is needed to delete a read-only repository. */
  async deleteRepository(repository: string, options: { force?: boolean } = {}): Promise<void> {
    await this.http.json({ method: 'DELETE', path: `/repositories/${seg(repository)}`, query: { force: options.force } });
  }

  // Branches

  listBranches(repository: string, options: PageOptions = {}): AsyncGenerator<Ref> {
    return paginate((after) =>
      this.http.json<PagedResponse<Ref>>({
        method: 'GET',
        path: `/repositories/${seg(repository)}/branches`,
        query: { after, prefix: options.prefix, amount: options.amount },
      }),
    );
  }

  getBranch(repository: string, branch: string): Promise<Ref> {
    return this.http.json({ method: 'GET', path: `/repositories/${seg(repository)}/branches/${seg(branch)}` });
  }

  /** Creates `name` at `source` (a ref or commit ID); `force` is needed on a read-only repository. */
  async createBranch(repository: string, name: string, source: string, options: { force?: boolean } = {}): Promise<void> {
    await this.http.json({
      method: 'POST',
      path: `/repositories/${seg(repository)}/branches`,
      json: { name, source, force: options.force },
    });
  }

  async deleteBranch(repository: string, branch: string, options: { force?: boolean } = {}): Promise<void> {
    await this.http.json({
      method: 'DELETE',
      path: `/repositories/${seg(repository)}/branches/${seg(branch)}`,
      query: { force: options.force },
    });
  }

  /** Points `branch` at `ref`, discarding anything uncommitted. */
  async hardResetBranch(repository: string, branch: string, ref: string, options: { force?: boolean } = {}): Promise<void> {
    await this.http.json({
      method: 'PUT',
      path: `/repositories/${seg(repository)}/branches/${seg(branch)}/hard_reset`,
      query: { ref, force: options.force },
    });
  }

  // Commits

  /** The commit log of `ref`, newest first. */
  log(repository: string, ref: string, options: LogOptions = {}): AsyncGenerator<Commit> {
    return paginate((after) =>
      this.http.json<PagedResponse<Commit>>({
        method: 'GET',
        path: `/repositories/${seg(repository)}/refs/${seg(ref)}/commits`,
        query: {
          after,
          amount: options.amount,
          first_parent: options.firstParent,
          stop_at: options.stopAt,
        },
      }),
    );
  }

  getCommit(repository: string, commitId: string): Promise<Commit> {
    return this.http.json({ method: 'GET', path: `/repositories/${seg(repository)}/commits/${seg(commitId)}` });
  }

  commit(repository: string, branch: string, creation: CommitCreation): Promise<Commit> {
    return this.http.json({
      method: 'POST',
      path: `/repositories/${seg(repository)}/branches/${seg(branch)}/commits`,
      json: creation,
    });
  }

  /**
   * CreateCommitRecord: writes a commit with the given ID and fields. lakeFS refuses an ID that is not the
   * content address of the fields (bad request) and an existing ID (conflict); it checks neither the
   * metarange nor the parents.
   */
  async createCommitRecord(repository: string, record: CommitRecordCreation): Promise<void> {
    await this.http.json({ method: 'POST', path: `/repositories/${seg(repository)}/commits`, json: record });
  }

  /** Merges `sourceRef` into `destinationBranch`; returns the merge commit's ID. */
  async merge(repository: string, sourceRef: string, destinationBranch: string, options: { message?: string } = {}): Promise<string> {
    const result = await this.http.json<{ reference: string }>({
      method: 'POST',
      path: `/repositories/${seg(repository)}/refs/${seg(sourceRef)}/merge/${seg(destinationBranch)}`,
      json: { message: options.message },
    });
    return result.reference;
  }

  // Diff and objects

  diffRefs(repository: string, leftRef: string, rightRef: string, options: PageOptions = {}): AsyncGenerator<DiffEntry> {
    return paginate((after) =>
      this.http.json<PagedResponse<DiffEntry>>({
        method: 'GET',
        path: `/repositories/${seg(repository)}/refs/${seg(leftRef)}/diff/${seg(rightRef)}`,
        query: { after, prefix: options.prefix, amount: options.amount },
      }),
    );
  }

  listObjects(repository: string, ref: string, options: ListObjectsOptions = {}): AsyncGenerator<ObjectStats> {
    return paginate((after) =>
      this.http.json<PagedResponse<ObjectStats>>({
        method: 'GET',
        path: `/repositories/${seg(repository)}/refs/${seg(ref)}/objects/ls`,
        query: {
          after,
          prefix: options.prefix,
          amount: options.amount,
          delimiter: options.delimiter,
          user_metadata: options.userMetadata,
        },
      }),
    );
  }

  statObject(repository: string, ref: string, path: string): Promise<ObjectStats> {
    return this.http.json({
      method: 'GET',
      path: `/repositories/${seg(repository)}/refs/${seg(ref)}/objects/stat`,
      query: { path, user_metadata: true },
    });
  }

  getObject(repository: string, ref: string, path: string): Promise<Buffer> {
    return this.http.bytes({ method: 'GET', path: `/repositories/${seg(repository)}/refs/${seg(ref)}/objects`, query: { path } });
  }

  uploadObject(
    repository: string,
    branch: string,
    path: string,
    content: Uint8Array | string,
    options: { contentType?: string; force?: boolean } = {},
  ): Promise<ObjectStats> {
    return this.http.json({
      method: 'POST',
      path: `/repositories/${seg(repository)}/branches/${seg(branch)}/objects`,
      query: { path, force: options.force },
      body: typeof content === 'string' ? Buffer.from(content) : content,
      contentType: options.contentType,
    });
  }

  // lakeFS metadata files

  /** Where a metarange file is, as lakeFS gives it: relative to the repository's namespace ("_lakefs/<id>"). */
  async metaRangeLocation(repository: string, metaRangeId: string): Promise<string> {
    const body = await this.http.json<{ location: string }>({
      method: 'GET',
      path: `/repositories/${seg(repository)}/metadata/meta_range/${seg(metaRangeId)}`,
    });
    return body.location;
  }

  /** Where a range file is, as lakeFS gives it: relative to the repository's namespace ("_lakefs/<id>"). */
  async rangeLocation(repository: string, rangeId: string): Promise<string> {
    const body = await this.http.json<{ location: string }>({
      method: 'GET',
      path: `/repositories/${seg(repository)}/metadata/range/${seg(rangeId)}`,
    });
    return body.location;
  }

  // Tags

  listTags(repository: string, options: PageOptions = {}): AsyncGenerator<Ref> {
    return paginate((after) =>
      this.http.json<PagedResponse<Ref>>({
        method: 'GET',
        path: `/repositories/${seg(repository)}/tags`,
        query: { after, prefix: options.prefix, amount: options.amount },
      }),
    );
  }

  getTag(repository: string, tag: string): Promise<Ref> {
    return this.http.json({ method: 'GET', path: `/repositories/${seg(repository)}/tags/${seg(tag)}` });
  }

  createTag(repository: string, tag: string, ref: string, options: { force?: boolean } = {}): Promise<Ref> {
    return this.http.json({
      method: 'POST',
      path: `/repositories/${seg(repository)}/tags`,
      json: { id: tag, ref, force: options.force },
    });
  }

  async deleteTag(repository: string, tag: string, options: { force?: boolean } = {}): Promise<void> {
    await this.http.json({
      method: 'DELETE',
      path: `/repositories/${seg(repository)}/tags/${seg(tag)}`,
      query: { force: options.force },
    });
  }
}
