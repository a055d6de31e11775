import { CountingS3, StorageNamespace, findMissingKeys, lakefsMetadataObject, objectInNamespace } from '@lakemirror/object-store';
import type { JobPayloads } from '@lakemirror/queues';
import { RangeReaderError, S3ObjectSource, readRangeEntries } from '@lakemirror/range-reader';
import type { Logger } from 'pino';
import type { CommitStore } from './commit.store';
import type { MirrorContexts } from './mirror-context';
import { NotReplicatedYetError } from './pipeline.errors';
import type { PipelineSettings } from './pipeline-settings';
import { VerificationStore, checkerOf } from './verification.store';

/**
 * Checks one chunk of one range of a commit in the mirror region: the range file is read from
 * the mirror bucket (its absence means "not replicated yet"), and every entry of the chunk with
 * a relative address must exist in the mirror namespace. Entries with full addresses live
 * outside the namespace, where replication does not carry them: they are counted and reported,
 * never taken as present. Missing objects are recorded (with the time first seen missing) and
 * the job fails, to be retried with backoff.
 */
export class VerifierService {
  constructor(
    private readonly contexts: MirrorContexts,
    private readonly commits: CommitStore,
    private readonly verification: VerificationStore,
    private readonly settings: PipelineSettings,
    private readonly log: Logger,
  ) {}

  async verifyChunk(job: JobPayloads['verify-chunk'], reportProgress: (checked: number) => Promise<void> = async () => undefined): Promise<{ objects: number; requests: number }> {
    const { mirrorId, commitId, rangeId, firstEntry, endEntry } = job;
    const commit = await this.commits.get(mirrorId, commitId);
    if (!commit || commit.state === 'verified' || commit.state === 'recorded') return { objects: 0, requests: 0 };
    const context = await this.contexts.active(mirrorId);
    if (!context) return { objects: 0, requests: 0 };
    const chunk = { rangeId, firstEntry };
    const checkedBy = checkerOf(chunk);
    if ((await this.verification.verifiedRanges(mirrorId, [rangeId])).has(rangeId)) {
      await this.verification.rangesVerifiedElsewhere(mirrorId, commitId, [rangeId]);
      return { objects: 0, requests: 0 };
    }
    const s3 = new CountingS3(context.mirrorS3);
    const planned = await this.verification.chunk(mirrorId, commitId, chunk);
    const knownPresent = await this.addressesIn(s3, context.namespace, planned?.baseRanges ?? []);
    const rangeFile = lakefsMetadataObject(context.namespace, rangeId);
    const keys: string[] = [];
    let fullAddressObjects = 0;
    let skippedObjects = 0;
    try {
      let index = 0;
      for await (const entry of readRangeEntries(new S3ObjectSource(s3.client, rangeFile.bucket, rangeFile.key))) {
        if (index >= endEntry) break;
        if (index++ < firstEntry) continue;
        if (entry.addressType === 'full') fullAddressObjects++;
        else if (knownPresent.has(entry.address)) skippedObjects++;
        else keys.push(objectInNamespace(context.namespace, entry.address).key);
      }
    } catch (error) {
      if (!(error instanceof RangeReaderError && error.code === 'NOT_FOUND')) throw error;
      await this.verification.recordMissing(mirrorId, commitId, checkedBy, [rangeFile.key]);
      await this.verification.chunkRequests(mirrorId, commitId, chunk, s3.requests);
      throw new NotReplicatedYetError(mirrorId, commitId, [rangeFile.key]);
    }
    await reportProgress(0);
    const { missing } = await findMissingKeys(s3.client, context.namespace.bucket, keys, { concurrency: this.settings.requestConcurrency });
    await this.verification.recordMissing(mirrorId, commitId, checkedBy, missing);
    if (missing.length > 0) {
      await this.verification.chunkRequests(mirrorId, commitId, chunk, s3.requests);
      throw new NotReplicatedYetError(mirrorId, commitId, missing);
    }
    await this.verification.chunkChecked(mirrorId, commitId, chunk, { fullAddressObjects, requests: s3.requests, skippedObjects });
    await reportProgress(keys.length + fullAddressObjects + skippedObjects);
    if (fullAddressObjects > 0) {
      this.log.warn({ mirror: mirrorId, commit: commitId, range: rangeId, fullAddressObjects }, 'objects outside the namespace: replication does not carry them');
    }
    this.log.debug({ mirror: mirrorId, commit: commitId, range: rangeId, firstEntry, objects: keys.length, skippedObjects, requests: s3.requests }, 'chunk verified');
    return { objects: keys.length, requests: s3.requests };
  }

  /**
   * The relative addresses held by verified ranges (the parent's, overlapping this one): their
   * objects were proven present in the mirror namespace, and lakeFS never rewrites an address.
   * A base range that cannot be read gives no shortcut, never a wrong one.
   */
  private async addressesIn(s3: CountingS3, namespace: StorageNamespace, rangeIds: string[]): Promise<Set<string>> {
    const addresses = new Set<string>();
    for (const id of rangeIds) {
      const file = lakefsMetadataObject(namespace, id);
      try {
        for await (const entry of readRangeEntries(new S3ObjectSource(s3.client, file.bucket, file.key))) if (entry.addressType === 'relative') addresses.add(entry.address);
      } catch (error) {
        if (!(error instanceof RangeReaderError)) throw error;
        return new Set();
      }
    }
    return addresses;
  }
}
