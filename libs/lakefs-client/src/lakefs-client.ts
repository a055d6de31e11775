import { ApiRequestParts, apiRequestSpec } from './lakefs-api-request';
import type { ApiOperation, ApiPath, ApiRequest, ApiResult, HttpMethod } from './lakefs-api.types';
import { LakefsTransport, LakefsTransportOptions, RequestSpec } from './lakefs-transport';
import type {
  Commit,
  CommitCreation,
  CommitRecordCreation,
  DiffEntry,
  LakefsUser,
  ObjectStats,
  Ref,
  RefsDump,
  RefsDumpStatus,
  RefsRestoreStatus,
  Repository,
  RepositoryCreation,
} from './lakefs.types';
import { paginate } from './paginate';

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

/**
 * A typed client for the subset of the lakeFS API that lakemirror needs. Paged listings are async iterators.
 * Every call names its lakeFS path template, so its parameters, body and result are checked against the
 * generated types of the pinned lakeFS version.
 */
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
    const body = await this.call('get', '/user', {});
    return body.user;
  }

  // Repositories

  listRepositories(options: PageOptions = {}): AsyncGenerator<Repository> {
    return paginate((after) => this.call('get', '/repositories', { query: { after, prefix: options.prefix, amount: options.amount } }));
  }

  getRepository(repository: string): Promise<Repository> {
    return this.call('get', '/repositories/{repository}', { path: { repository } });
  }

  createRepository(creation: RepositoryCreation, options: CreateRepositoryOptions = {}): Promise<Repository> {
    return this.call('post', '/repositories', { query: { bare: options.bare }, json: creation });
  }

  /** The repository's key-value metadata (lakemirror marks the repositories it creates there). */
  getRepositoryMetadata(repository: string): Promise<Record<string, string>> {
    return this.call('get', '/repositories/{repository}/metadata', { path: { repository } });
  }

  /** Adds or updates the given keys; other keys stay. */
  async setRepositoryMetadata(repository: string, metadata: Record<string, string>): Promise<void> {
    await this.call('post', '/repositories/{repository}/metadata', { path: { repository }, json: { metadata } });
  }

  /** `force` is needed to delete a read-only repository. */
  async deleteRepository(repository: string, options: { force?: boolean } = {}): Promise<void> {
    await this.call('delete', '/repositories/{repository}', { path: { repository }, query: { force: options.force } });
  }

  // Branches

  listBranches(repository: string, options: PageOptions = {}): AsyncGenerator<Ref> {
    return paginate((after) =>
      this.call('get', '/repositories/{repository}/branches', {
        path: { repository },
        query: { after, prefix: options.prefix, amount: options.amount },
      }),
    );
  }

  getBranch(repository: string, branch: string): Promise<Ref> {
    return this.call('get', '/repositories/{repository}/branches/{branch}', { path: { repository, branch } });
  }

  /** Creates `name` at `source` (a ref or commit ID); `force` is needed on a read-only repository. */
  async createBranch(repository: string, name: string, source: string, options: { force?: boolean } = {}): Promise<void> {
    await this.call('post', '/repositories/{repository}/branches', { path: { repository }, json: { name, source, force: options.force } });
  }

  async deleteBranch(repository: string, branch: string, options: { force?: boolean } = {}): Promise<void> {
    await this.call('delete', '/repositories/{repository}/branches/{branch}', {
      path: { repository, branch },
      query: { force: options.force },
    });
  }

  /** Points `branch` at `ref`, discarding anything uncommitted. */
  async hardResetBranch(repository: string, branch: string, ref: string, options: { force?: boolean } = {}): Promise<void> {
    await this.call('put', '/repositories/{repository}/branches/{branch}/hard_reset', {
      path: { repository, branch },
      query: { ref, force: options.force },
    });
  }

  // Commits

  /** The commit log of `ref`, newest first. */
  log(repository: string, ref: string, options: LogOptions = {}): AsyncGenerator<Commit> {
    return paginate((after) =>
      this.call('get', '/repositories/{repository}/refs/{ref}/commits', {
        path: { repository, ref },
        query: { after, amount: options.amount, first_parent: options.firstParent, stop_at: options.stopAt },
      }),
    );
  }

  getCommit(repository: string, commitId: string): Promise<Commit> {
    return this.call('get', '/repositories/{repository}/commits/{commitId}', { path: { repository, commitId } });
  }

  /** Commits the branch's staged changes or, with `sourceMetarange`, makes that metarange the branch's tree (the branch must have no staged changes). */
  commit(repository: string, branch: string, creation: CommitCreation, options: { sourceMetarange?: string } = {}): Promise<Commit> {
    return this.call('post', '/repositories/{repository}/branches/{branch}/commits', {
      path: { repository, branch },
      query: { source_metarange: options.sourceMetarange },
      json: creation,
    });
  }

  /**
   * CreateCommitRecord: writes a commit with the given ID and fields. lakeFS refuses an ID that is not the
   * content address of the fields (bad request) and an existing ID (conflict); it checks neither the
   * metarange nor the parents.
   */
  async createCommitRecord(repository: string, record: CommitRecordCreation): Promise<void> {
    await this.call('post', '/repositories/{repository}/commits', { path: { repository }, json: record });
  }

  /** Merges `sourceRef` into `destinationBranch`; returns the merge commit's ID. */
  async merge(repository: string, sourceRef: string, destinationBranch: string, options: { message?: string } = {}): Promise<string> {
    const result = await this.call('post', '/repositories/{repository}/refs/{sourceRef}/merge/{destinationBranch}', {
      path: { repository, sourceRef, destinationBranch },
      json: { message: options.message },
    });
    return result.reference;
  }

  // Diff and objects

  diffRefs(repository: string, leftRef: string, rightRef: string, options: PageOptions = {}): AsyncGenerator<DiffEntry> {
    return paginate((after) =>
      this.call('get', '/repositories/{repository}/refs/{leftRef}/diff/{rightRef}', {
        path: { repository, leftRef, rightRef },
        query: { after, prefix: options.prefix, amount: options.amount },
      }),
    );
  }

  /** What is uploaded or deleted on `branch` and not committed yet. */
  diffBranch(repository: string, branch: string, options: PageOptions = {}): AsyncGenerator<DiffEntry> {
    return paginate((after) =>
      this.call('get', '/repositories/{repository}/branches/{branch}/diff', {
        path: { repository, branch },
        query: { after, prefix: options.prefix, amount: options.amount },
      }),
    );
  }

  listObjects(repository: string, ref: string, options: ListObjectsOptions = {}): AsyncGenerator<ObjectStats> {
    return paginate((after) =>
      this.call('get', '/repositories/{repository}/refs/{ref}/objects/ls', {
        path: { repository, ref },
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
    return this.call('get', '/repositories/{repository}/refs/{ref}/objects/stat', {
      path: { repository, ref },
      query: { path, user_metadata: true },
    });
  }

  getObject(repository: string, ref: string, path: string): Promise<Buffer> {
    return this.http.bytes(this.request('get', '/repositories/{repository}/refs/{ref}/objects', { path: { repository, ref }, query: { path } }));
  }

  uploadObject(
    repository: string,
    branch: string,
    path: string,
    content: Uint8Array | string,
    options: { contentType?: string; force?: boolean } = {},
  ): Promise<ObjectStats> {
    return this.call('post', '/repositories/{repository}/branches/{branch}/objects', {
      path: { repository, branch },
      query: { path, force: options.force },
      body: typeof content === 'string' ? Buffer.from(content) : content,
      contentType: options.contentType,
    });
  }

  /** Deletes an uncommitted or committed object from the branch (staged until the next commit). */
  async deleteObject(repository: string, branch: string, path: string): Promise<void> {
    await this.call('delete', '/repositories/{repository}/branches/{branch}/objects', { path: { repository, branch }, query: { path } });
  }

  // lakeFS metadata files

  /** Where a metarange file is, as lakeFS gives it: relative to the repository's namespace ("_lakefs/<id>"). */
  async metaRangeLocation(repository: string, metaRangeId: string): Promise<string> {
    const body = await this.call('get', '/repositories/{repository}/metadata/meta_range/{meta_range}', {
      path: { repository, meta_range: metaRangeId },
    });
    return body.location;
  }

  /** Where a range file is, as lakeFS gives it: relative to the repository's namespace ("_lakefs/<id>"). */
  async rangeLocation(repository: string, rangeId: string): Promise<string> {
    const body = await this.call('get', '/repositories/{repository}/metadata/range/{range}', { path: { repository, range: rangeId } });
    return body.location;
  }

  // Tags

  listTags(repository: string, options: PageOptions = {}): AsyncGenerator<Ref> {
    return paginate((after) =>
      this.call('get', '/repositories/{repository}/tags', {
        path: { repository },
        query: { after, prefix: options.prefix, amount: options.amount },
      }),
    );
  }

  getTag(repository: string, tag: string): Promise<Ref> {
    return this.call('get', '/repositories/{repository}/tags/{tag}', { path: { repository, tag } });
  }

  createTag(repository: string, tag: string, ref: string, options: { force?: boolean } = {}): Promise<Ref> {
    return this.call('post', '/repositories/{repository}/tags', { path: { repository }, json: { id: tag, ref, force: options.force } });
  }

  async deleteTag(repository: string, tag: string, options: { force?: boolean } = {}): Promise<void> {
    await this.call('delete', '/repositories/{repository}/tags/{tag}', { path: { repository, tag }, query: { force: options.force } });
  }

  // Refs dump and restore: background tasks of lakeFS, polled by their ID

  /** Starts writing the repository's commits, branches and tags as metarange files into its namespace; returns the task's ID. */
  async submitRefsDump(repository: string): Promise<string> {
    return (await this.call('post', '/repositories/{repository}/dump', { path: { repository } })).id;
  }

  refsDumpStatus(repository: string, taskId: string): Promise<RefsDumpStatus> {
    return this.call('get', '/repositories/{repository}/dump', { path: { repository }, query: { task_id: taskId } });
  }

  /** Starts loading a refs dump into a bare repository (lakeFS refuses one whose default branch exists); returns the task's ID. */
  async submitRefsRestore(repository: string, dump: RefsDump): Promise<string> {
    return (await this.call('post', '/repositories/{repository}/restore', { path: { repository }, json: dump })).id;
  }

  refsRestoreStatus(repository: string, taskId: string): Promise<RefsRestoreStatus> {
    return this.call('get', '/repositories/{repository}/restore', { path: { repository }, query: { task_id: taskId } });
  }

  /** One call of the lakeFS operation at `path` for `method`, its JSON (or text) result typed by the generated API. */
  private call<M extends HttpMethod, P extends ApiPath<M>>(
    method: M,
    path: P,
    request: ApiRequest<ApiOperation<P, M>>,
  ): Promise<ApiResult<ApiOperation<P, M>>> {
    return this.http.json(this.request(method, path, request));
  }

  /** The transport request for the operation at `path`, its parameters and body checked against the generated API. */
  private request<M extends HttpMethod, P extends ApiPath<M>>(method: M, path: P, request: ApiRequest<ApiOperation<P, M>>): RequestSpec {
    return apiRequestSpec(method, path, request as ApiRequestParts);
  }
}
