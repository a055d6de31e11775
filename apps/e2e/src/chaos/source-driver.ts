import { LakefsBadRequestError, collect } from '@lakemirror/lakefs-client';
import { ObjectLocation, parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { TestEnvironment, holdBack, release } from '@lakemirror/test-environment';
import { commitObjects } from '../pipeline.fixture';
import { SourceOperation } from './source-workload';

/** How an operation went: done, or nothing to do (a merge with no changes, a reset of a branch at its first commit). */
export type OperationOutcome = 'done' | 'nothing to do';

/**
 * Applies source operations to the source repository, one at a time: the workload and the
 * held-back objects share it, so a commit never picks up another's uploads and a branch is
 * never deleted under an upload.
 */
export class SourceDriver {
  private queue: Promise<unknown> = Promise.resolve();
  private delayed = 0;

  constructor(
    private readonly env: TestEnvironment,
    private readonly repository: string,
  ) {}

  apply(operation: SourceOperation): Promise<OperationOutcome> {
    return this.exclusively(() => this.run(operation));
  }

  /** The branches of the source repository now. */
  async branches(): Promise<string[]> {
    return (await collect(this.env.source.lakefs.listBranches(this.repository))).map((b) => b.id);
  }

  /**
   * Commits one object to `branch` that is then removed from region B, as if replication had
   * not brought it yet; returns a function that lets it arrive.
   */
  commitHeldBackObject(branch: string): Promise<() => Promise<void>> {
    return this.exclusively(async () => {
      const { source, regionB } = this.env;
      const path = `chaos/delayed-${++this.delayed}/object.bin`;
      await source.lakefs.uploadObject(this.repository, branch, path, `${this.repository} delayed ${this.delayed}`);
      const namespace = parseStorageNamespace(`s3://${source.bucket}/mirrors/${this.repository}`);
      const address = (await source.lakefs.statObject(this.repository, branch, path)).physical_address;
      const location: ObjectLocation = { bucket: source.bucket, key: `${namespace.prefix}/${relativeAddressIn(namespace, address)}` };
      const inRegionB: ObjectLocation = { bucket: regionB.bucket, key: location.key };
      await holdBack(regionB.s3, inRegionB);
      await source.lakefs.commit(this.repository, branch, { message: `held back: ${path}` });
      return () => release(source.s3, location, regionB.s3, inRegionB);
    });
  }

  private async run(operation: SourceOperation): Promise<OperationOutcome> {
    const lakefs = this.env.source.lakefs;
    switch (operation.kind) {
      case 'commit':
        await commitObjects(lakefs, this.repository, operation.branch, operation.prefix, operation.objects);
        return 'done';
      case 'merge':
        try {
          await lakefs.merge(this.repository, operation.from, operation.into, { message: `merge ${operation.from} into ${operation.into}` });
          return 'done';
        } catch (error) {
          if (error instanceof LakefsBadRequestError && /no changes/i.test(error.lakefsMessage)) return 'nothing to do';
          throw error;
        }
      case 'create-branch':
        await lakefs.createBranch(this.repository, operation.branch, operation.from);
        return 'done';
      case 'delete-branch':
        await lakefs.deleteBranch(this.repository, operation.branch);
        return 'done';
      case 'reset': {
        const log: string[] = [];
        for await (const commit of lakefs.log(this.repository, operation.branch, { firstParent: true, amount: operation.back + 1 })) {
          log.push(commit.id);
          if (log.length > operation.back) break;
        }
        if (log.length < 2) return 'nothing to do';
        await lakefs.hardResetBranch(this.repository, operation.branch, log[log.length - 1]);
        return 'done';
      }
    }
  }

  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
