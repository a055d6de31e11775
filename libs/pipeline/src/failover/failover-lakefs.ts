import { LakefsBadRequestError, LakefsClient, LakefsConflictError, LakefsError, LakefsNotFoundError, Ref, collect } from '@lakemirror/lakefs-client';
import { FailoverRepository, RefsSnapshot, classifyFailoverRepository } from '@lakemirror/mirroring';
import type { PromotedRepository, RefsDumpIds } from '@lakemirror/persistence';
import { setTimeout as sleep } from 'node:timers/promises';
import { PromotionStepTimeoutError, PromotionTaskFailedError } from './failover.errors';

export interface FailoverTimings {
  pollMs: number;
  /** How long lakeFS's repository cache may show a deleted or re-created repository as it was (lakeFS: 5 s + up to 2 s). */
  cacheMs: number;
  /** How long a refs dump or restore task may run. */
  taskMs: number;
}

export const DEFAULT_FAILOVER_TIMINGS: FailoverTimings = { pollMs: 500, cacheMs: 60_000, taskMs: 5 * 60_000 };

/** How a refs restore task ended: with lakeFS's error, or unknown when lakeFS no longer has the task. */
export type RestoreTaskEnd = { error?: string; unknown?: boolean };

const byName = (refs: Ref[]): Record<string, string> => Object.fromEntries(refs.map((r) => [r.id, r.commit_id]));

/** The calls a promotion makes on the mirror's region lakeFS, for the one repository it promotes. */
export class FailoverLakefs {
  constructor(
    private readonly lakefs: LakefsClient,
    private readonly mirrorId: string,
    private readonly namespace: string,
    private readonly timings: FailoverTimings = DEFAULT_FAILOVER_TIMINGS,
  ) {}

  /** What the repository of the mirror's name is right now (410 from lakeFS: deleted halfway). */
  async lookup(): Promise<FailoverRepository> {
    try {
      return classifyFailoverRepository(await this.lakefs.getRepository(this.mirrorId), this.namespace);
    } catch (error) {
      if (error instanceof LakefsNotFoundError) return 'absent';
      if (error instanceof LakefsError && error.status === 410) return 'in-deletion';
      throw error;
    }
  }

  /** Polls `lookup` until `done` says so. @throws PromotionStepTimeoutError */
  async waitFor(what: string, done: (repository: FailoverRepository) => boolean): Promise<FailoverRepository> {
    const deadline = Date.now() + this.timings.cacheMs;
    for (;;) {
      const repository = await this.lookup();
      if (done(repository)) return repository;
      if (Date.now() > deadline) throw new PromotionStepTimeoutError(this.mirrorId, `${what} (lakeFS shows it ${repository})`);
      await sleep(this.timings.pollMs);
    }
  }

  async settings(): Promise<PromotedRepository> {
    const [repository, metadata] = await Promise.all([this.lakefs.getRepository(this.mirrorId), this.lakefs.getRepositoryMetadata(this.mirrorId)]);
    return { storageNamespace: repository.storage_namespace, defaultBranch: repository.default_branch, metadata: metadata ?? {} };
  }

  async refs(): Promise<RefsSnapshot> {
    const [branches, tags] = await Promise.all([collect(this.lakefs.listBranches(this.mirrorId)), collect(this.lakefs.listTags(this.mirrorId))]);
    return { branches: byName(branches), tags: byName(tags) };
  }

  /** Dumps the refs into the namespace (a read of the repository and content-addressed files: safe to repeat). */
  async dumpRefs(): Promise<RefsDumpIds> {
    const taskId = await this.lakefs.submitRefsDump(this.mirrorId);
    const deadline = Date.now() + this.timings.taskMs;
    for (;;) {
      const status = await this.lakefs.refsDumpStatus(this.mirrorId, taskId);
      if (status.done) {
        if (status.error || !status.refs) throw new PromotionTaskFailedError(this.mirrorId, 'refs dump', status.error ?? 'no refs in the result');
        return { commits: status.refs.commits_meta_range_id, branches: status.refs.branches_meta_range_id, tags: status.refs.tags_meta_range_id };
      }
      if (Date.now() > deadline) throw new PromotionStepTimeoutError(this.mirrorId, `lakeFS's refs dump task ${taskId}`);
      await sleep(this.timings.pollMs);
    }
  }

  /** Deletes the repository record: lakeFS deletes its branches, tags and commits from its own database, never a file of the namespace. */
  async deleteRepository(options: { force: boolean }): Promise<void> {
    try {
      await this.lakefs.deleteRepository(this.mirrorId, options);
    } catch (error) {
      if (!(error instanceof LakefsNotFoundError)) throw error;
    }
  }

  /** Creates the writable bare repository on the namespace (bare: no first commit, and no check that the namespace is unused). False when the name is taken. */
  async createWritable(settings: PromotedRepository): Promise<boolean> {
    try {
      await this.lakefs.createRepository(
        { name: this.mirrorId, storage_namespace: settings.storageNamespace, default_branch: settings.defaultBranch, read_only: false },
        { bare: true },
      );
      return true;
    } catch (error) {
      if (error instanceof LakefsConflictError) return false;
      throw error;
    }
  }

  /** Starts a restore; undefined when lakeFS refuses because the repository is no longer bare (a restore of an interrupted try got there first). */
  async submitRestore(dump: RefsDumpIds): Promise<string | undefined> {
    try {
      return await this.lakefs.submitRefsRestore(this.mirrorId, {
        commits_meta_range_id: dump.commits,
        branches_meta_range_id: dump.branches,
        tags_meta_range_id: dump.tags,
      });
    } catch (error) {
      if (error instanceof LakefsBadRequestError && /bare repository/i.test(error.lakefsMessage)) return undefined;
      throw error;
    }
  }

  /** Waits for a restore task to end. lakeFS keeps a task with the repository: a task of an earlier, deleted try is unknown. */
  async awaitRestore(taskId: string): Promise<RestoreTaskEnd> {
    const deadline = Date.now() + this.timings.taskMs;
    for (;;) {
      let status;
      try {
        status = await this.lakefs.refsRestoreStatus(this.mirrorId, taskId);
      } catch (error) {
        if (error instanceof LakefsNotFoundError) return { unknown: true };
        throw error;
      }
      if (status.done) return status.error ? { error: status.error } : {};
      if (Date.now() > deadline) throw new PromotionStepTimeoutError(this.mirrorId, `lakeFS's refs restore task ${taskId}`);
      await sleep(this.timings.pollMs);
    }
  }

  /** The refs once they stopped changing (a restore task of an interrupted try may still be loading them). */
  async settledRefs(): Promise<RefsSnapshot> {
    let previous = await this.refs();
    for (let stable = 0; stable < 3;) {
      await sleep(this.timings.pollMs * 2);
      const now = await this.refs();
      stable = JSON.stringify(now) === JSON.stringify(previous) ? stable + 1 : 0;
      previous = now;
    }
    return previous;
  }

  setMetadata(metadata: Record<string, string>): Promise<void> {
    return this.lakefs.setRepositoryMetadata(this.mirrorId, metadata);
  }
}
