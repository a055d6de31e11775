import { Inject, Injectable } from '@nestjs/common';
import { classifyChunkEntries } from '@lakemirror/mirroring';
import { CountingS3, RecentListings, findMissingKeys } from '@lakemirror/object-store';
import { ChunkKey, CommitChunkRepository, MirrorCommitRepository, MissingObjectRepository, VerifiedRangeRepository } from '@lakemirror/persistence';
import type { JobPayloads } from '@lakemirror/queues';
import { RangeReaderError, S3ObjectSource, readRangeAddresses } from '@lakemirror/range-reader';
import { PinoLogger } from 'nestjs-pino';
import { BaseRangeAddresses } from './base-range-addresses';
import { MirrorContexts } from './mirror-contexts';
import { NotReplicatedYetError } from './pipeline.errors';
import { metadataFileOf, objectOf, unreadableMetadata } from './permanent-causes';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';

/** The name under which a chunk records what it found missing. */
export function checkerOf(chunk: ChunkKey): string {
  return `${chunk.rangeId}@${chunk.firstEntry}`;
}

const NOTHING_CHECKED = { objects: 0, requests: 0 };

/**
 * Checks one chunk of one range of a commit in the mirror region: the range file is read from
 * the mirror bucket (its absence means "not replicated yet"), and every entry of the chunk with
 * a relative address must exist in the mirror namespace. Entries with full addresses live
 * outside the namespace, where replication does not carry them: they are counted and reported,
 * never taken as present. Missing objects are recorded (with the time first seen missing) and
 * the job fails, to be retried with backoff. A range file that is there but unreadable, or an
 * address that leaves the namespace, fails the commit for good. What to check comes from the
 * chunk as planned in PostgreSQL, not from the job's payload.
 */
@Injectable()
export class VerifierService {
  constructor(
    private readonly contexts: MirrorContexts,
    private readonly commits: MirrorCommitRepository,
    private readonly chunks: CommitChunkRepository,
    private readonly verifiedRanges: VerifiedRangeRepository,
    private readonly missing: MissingObjectRepository,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
    private readonly log: PinoLogger,
  ) {}

  /** Per mirror region: a backlog's chunks, checked side by side, share LIST pages (see RecentListings). */
  private readonly recentListings = new Map<string, RecentListings>();

  private recentListingsOf(region: string): RecentListings {
    const listings = this.recentListings.get(region) ?? new RecentListings();
    this.recentListings.set(region, listings);
    return listings;
  }

  async verifyChunk(
    job: JobPayloads['verify-chunk'],
    reportProgress: (checked: number) => Promise<void> = async () => undefined,
  ): Promise<{ objects: number; requests: number }> {
    const { mirrorId, commitId, rangeId, firstEntry } = job;
    const commit = await this.commits.get(mirrorId, commitId);
    if (!commit || commit.state === 'verified' || commit.state === 'recorded' || commit.state === 'failed') return NOTHING_CHECKED;
    const context = await this.contexts.active(mirrorId);
    if (!context) return NOTHING_CHECKED;
    const chunk = { rangeId, firstEntry };
    const planned = await this.chunks.get(mirrorId, commitId, chunk);
    if (!planned || planned.checked) return NOTHING_CHECKED;
    if ((await this.verifiedRanges.verified(mirrorId, [rangeId])).has(rangeId)) {
      await this.chunks.markRangesChecked(mirrorId, commitId, [rangeId]);
      await this.missing.forgetRanges(mirrorId, commitId, [rangeId]);
      return NOTHING_CHECKED;
    }
    const checkedBy = checkerOf(chunk);
    const s3 = new CountingS3(context.mirrorS3);
    const knownPresent = await new BaseRangeAddresses(s3.client, context.namespace, [planned.baseRanges]).take(planned.baseRanges);
    const ref = { mirrorId, commitId };
    const rangeFile = metadataFileOf(context.namespace, rangeId, ref);
    let entries;
    try {
      entries = await classifyChunkEntries(readRangeAddresses(new S3ObjectSource(s3.client, rangeFile.bucket, rangeFile.key)), planned, knownPresent);
    } catch (error) {
      // Anything but the reader's refusal (the object store unreachable, say) is retried as it is.
      if (!(error instanceof RangeReaderError)) throw error;
      const corrupt = unreadableMetadata(error, ref);
      if (corrupt) throw corrupt;
      await this.missing.record(mirrorId, commitId, checkedBy, [rangeFile.key]);
      await this.chunks.addRequests(mirrorId, commitId, chunk, s3.requests);
      throw new NotReplicatedYetError(mirrorId, commitId, [rangeFile.key]);
    }
    await reportProgress(0);
    const keys = entries.toLookUp.map((address) => objectOf(context.namespace, address, ref).key);
    const listed = await findMissingKeys(s3.client, context.namespace.bucket, keys, {
      concurrency: this.settings.requestConcurrency,
      recentListings: this.recentListingsOf(context.mirror.region),
    });
    await this.missing.record(mirrorId, commitId, checkedBy, listed.missing);
    const missing = await this.stillMissing(s3, context.namespace.bucket, listed.missing);
    if (missing.length < listed.missing.length) await this.missing.record(mirrorId, commitId, checkedBy, missing);
    if (missing.length > 0) {
      await this.chunks.addRequests(mirrorId, commitId, chunk, s3.requests);
      throw new NotReplicatedYetError(mirrorId, commitId, missing);
    }
    await this.chunks.markChecked(mirrorId, commitId, chunk, {
      fullAddressObjects: entries.fullAddress,
      requests: s3.requests,
      skippedObjects: entries.skipped,
    });
    await this.verifiedRanges.addWhenAllChunksChecked(mirrorId, commitId, rangeId);
    await reportProgress(keys.length + entries.fullAddress + entries.skipped);
    if (entries.fullAddress > 0) {
      this.log.warn(
        { mirror: mirrorId, commit: commitId, range: rangeId, fullAddressObjects: entries.fullAddress },
        'objects outside the namespace: replication does not carry them',
      );
    }
    this.log.debug(
      { mirror: mirrorId, commit: commitId, range: rangeId, firstEntry, objects: keys.length, skippedObjects: entries.skipped, requests: s3.requests },
      'chunk verified',
    );
    return { objects: keys.length, requests: s3.requests };
  }

  /**
   * The keys of `missing` still absent, looked at once more after they were recorded. An object
   * that landed after the listing but before the record had its object-created event find no
   * check waiting for it (see LateObjects): this second look sees it, where the retry's backoff
   * would have made it wait. One that lands after this look finds the record.
   */
  private async stillMissing(s3: CountingS3, bucket: string, missing: string[]): Promise<string[]> {
    if (missing.length === 0) return missing;
    return (await findMissingKeys(s3.client, bucket, missing, { concurrency: this.settings.requestConcurrency })).missing;
  }
}
