import { Inject, Injectable } from '@nestjs/common';
import { entryCheck } from '@lakemirror/mirroring';
import { AddressesByFolder, CountingS3, findMissingUnder, mapWithConcurrency } from '@lakemirror/object-store';
import { ChunkState, CommitChunkRepository, MirrorCommitRepository, MissingObjectRepository, VerifiedRangeRepository } from '@lakemirror/persistence';
import type { JobPayloads } from '@lakemirror/queues';
import { RangeReaderError, S3ObjectSource, readRangeAddressBatches } from '@lakemirror/range-reader';
import { PinoLogger } from 'nestjs-pino';
import { BaseRangeAddresses } from './base-range-addresses';
import { MirrorContext, MirrorContexts } from './mirror-contexts';
import { NotReplicatedYetError } from './pipeline.errors';
import { metadataFileOf, objectOf, unreadableMetadata } from './permanent-causes';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';
import { listingPlan } from './sweep-listing-plan';
import { checkerOf } from './verifier.service';

/** The most missing objects a sweep looks at again after recording them (see stillMissing). */
const SECOND_LOOK_MAX = 1_000;

/** One chunk's tally during a sweep. */
interface ChunkTally {
  chunk: ChunkState;
  fullAddress: number;
  skipped: number;
}

const NOTHING_CHECKED = { objects: 0, requests: 0 };

/**
 * Checks every unchecked chunk of one commit in a single pass, for commits too large to check
 * chunk by chunk: each range file is read once, and the namespace is listed once for all of the
 * commit's objects (about one request per 1,000 objects, however its keys are spread), where
 * chunks would each list most of the partitions they touch. The outcome is the chunk checks':
 * chunks with nothing missing are marked checked (and their ranges verified), the others record
 * what they miss under their own name, and the job fails to be retried with backoff, sweeping
 * then only the chunks still unchecked. Chunk plans in PostgreSQL say what to check, as for the
 * chunk jobs.
 */
@Injectable()
export class CommitSweepService {
  constructor(
    private readonly contexts: MirrorContexts,
    private readonly commits: MirrorCommitRepository,
    private readonly chunks: CommitChunkRepository,
    private readonly verifiedRanges: VerifiedRangeRepository,
    private readonly missing: MissingObjectRepository,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
    private readonly log: PinoLogger,
  ) {}

  async sweep(
    job: JobPayloads['verify-sweep'],
    reportProgress: (progress: { listed: number }) => Promise<void> = async () => undefined,
  ): Promise<{ objects: number; requests: number }> {
    const { mirrorId, commitId } = job;
    const commit = await this.commits.get(mirrorId, commitId);
    if (!commit || commit.state === 'verified' || commit.state === 'recorded' || commit.state === 'failed') return NOTHING_CHECKED;
    const context = await this.contexts.active(mirrorId);
    if (!context) return NOTHING_CHECKED;
    const planned = await this.chunks.ofCommit(mirrorId, commitId);
    const verified = await this.verifiedRanges.verified(mirrorId, [...new Set(planned.map((c) => c.rangeId))]);
    if (verified.size > 0) {
      await this.chunks.markRangesChecked(mirrorId, commitId, [...verified]);
      await this.missing.forgetRanges(mirrorId, commitId, [...verified]);
    }
    const unchecked = planned.filter((c) => !c.checked && !verified.has(c.rangeId));
    if (unchecked.length === 0) return NOTHING_CHECKED;

    const s3 = new CountingS3(context.mirrorS3);
    const started = Date.now();
    const tallies: ChunkTally[] = unchecked.map((chunk) => ({ chunk, fullAddress: 0, skipped: 0 }));
    // The relative addresses to find, each tagged with the index of its chunk.
    const wanted = await this.readWanted(s3, context, commitId, tallies);
    const wantedCount = wanted.count;
    let objects = 0;
    let listed = 0;
    let lastReport = Date.now();
    const missingByChunk = new Map<number, string[]>();
    const folders = wanted.folders();
    const plan = listingPlan(folders.length, this.settings.requestConcurrency, this.settings.sweepSpansPerFolder);
    await mapWithConcurrency(folders, plan.foldersAtOnce, async (folder) => {
      const sorted = folder.sortedUnique();
      objects += sorted.length;
      const { missing } = await findMissingUnder(s3.client, context.namespace.bucket, context.namespace.prefix, sorted, {
        concurrency: plan.streamsPerFolder,
        spanKeys: Math.ceil(sorted.length / plan.streamsPerFolder),
        onListed: (keys) => {
          listed += keys;
          if (Date.now() - lastReport < 5_000) return;
          lastReport = Date.now();
          void reportProgress({ listed });
          this.log.info({ mirror: mirrorId, commit: commitId, listed, objects: wantedCount }, 'sweep: listing the namespace');
        },
      });
      for (const [chunk, addresses] of folder.tagsOf(new Set(missing))) missingByChunk.set(chunk, [...(missingByChunk.get(chunk) ?? []), ...addresses]);
    });
    await this.recordMissing(context, commitId, tallies, missingByChunk);
    const confirmed = await this.stillMissing(s3, context, missingByChunk);
    await this.recordMissing(context, commitId, tallies, changedLists(missingByChunk, confirmed));
    await this.pass(context, commitId, tallies, confirmed, s3.requests);
    const missingKeys = [...confirmed.values()].flat().sort();
    this.log.info(
      {
        mirror: mirrorId,
        commit: commitId,
        chunks: tallies.length,
        objects,
        missing: missingKeys.length,
        requests: s3.requests,
        seconds: (Date.now() - started) / 1000,
      },
      'commit swept',
    );
    if (missingKeys.length > 0) throw new NotReplicatedYetError(mirrorId, commitId, missingKeys);
    return { objects, requests: s3.requests };
  }

  /**
   * Reads each range file with unchecked chunks once, several at a time, and collects the
   * relative addresses its unchecked chunks must find. An entry a verified base range holds is
   * known present, a full address is outside the namespace (counted, never present), as for
   * chunk checks. A range file not there yet makes the whole sweep wait; one that cannot be read
   * fails the commit.
   */
  private async readWanted(s3: CountingS3, context: MirrorContext, commitId: string, tallies: ChunkTally[]): Promise<AddressesByFolder> {
    const started = Date.now();
    const ref = { mirrorId: context.mirror.id, commitId };
    const byRange = new Map<string, number[]>();
    tallies.forEach((t, i) => {
      const chunkIndexes = byRange.get(t.chunk.rangeId);
      if (chunkIndexes) chunkIndexes.push(i);
      else byRange.set(t.chunk.rangeId, [i]);
    });
    const baseAddresses = new BaseRangeAddresses(
      s3.client,
      context.namespace,
      [...byRange.values()].map((ids) => tallies[ids[0]].chunk.baseRanges),
    );
    const wanted = new AddressesByFolder();
    const absentRangeFiles: string[] = [];
    await mapWithConcurrency([...byRange], this.settings.requestConcurrency, async ([rangeId, chunkIndexes]) => {
      const windows = chunkIndexes.sort((a, b) => tallies[a].chunk.firstEntry - tallies[b].chunk.firstEntry);
      const knownPresent = await baseAddresses.take(tallies[windows[0]].chunk.baseRanges);
      const file = metadataFileOf(context.namespace, rangeId, ref);
      const lastEnd = tallies[windows[windows.length - 1]].chunk.endEntry;
      let index = 0;
      let w = 0;
      try {
        reading: for await (const batch of readRangeAddressBatches(new S3ObjectSource(s3.client, file.bucket, file.key))) {
          for (const entry of batch) {
            while (w < windows.length && index >= tallies[windows[w]].chunk.endEntry) w++;
            if (w === windows.length || index >= lastEnd) break reading;
            const tally = tallies[windows[w]];
            if (index++ < tally.chunk.firstEntry) continue;
            const check = entryCheck(entry, knownPresent);
            if (check === 'outside-namespace') tally.fullAddress++;
            else if (check === 'known-present') tally.skipped++;
            else {
              objectOf(context.namespace, entry.address, ref);
              wanted.add(entry.address, windows[w]);
            }
          }
        }
      } catch (error) {
        if (!(error instanceof RangeReaderError)) throw error;
        const corrupt = unreadableMetadata(error, ref);
        if (corrupt) throw corrupt;
        absentRangeFiles.push(file.key);
      }
    });
    if (absentRangeFiles.length > 0) {
      // Named under the first chunk of each range, where a chunk check would record it.
      for (const key of absentRangeFiles) {
        const rangeId = key.slice(key.lastIndexOf('/') + 1);
        const first = tallies.find((t) => t.chunk.rangeId === rangeId) as ChunkTally;
        await this.missing.record(ref.mirrorId, commitId, checkerOf(first.chunk), [key]);
      }
      throw new NotReplicatedYetError(ref.mirrorId, commitId, absentRangeFiles.sort());
    }
    this.log.info(
      { mirror: ref.mirrorId, commit: commitId, ranges: byRange.size, objects: wanted.count, seconds: (Date.now() - started) / 1000 },
      'sweep: range files read',
    );
    return wanted;
  }

  /** Records what each chunk misses, under its own name. */
  private async recordMissing(context: MirrorContext, commitId: string, tallies: ChunkTally[], missingByChunk: Map<number, string[]>): Promise<void> {
    const mirrorId = context.mirror.id;
    const ref = { mirrorId, commitId };
    for (const [index, addresses] of missingByChunk) {
      const keys = [...new Set(addresses)].map((a) => objectOf(context.namespace, a, ref).key).sort();
      await this.missing.record(mirrorId, commitId, checkerOf(tallies[index].chunk), keys);
    }
  }

  /**
   * What each chunk still misses, looked at once more after it was recorded (as a chunk check
   * does, see VerifierService.stillMissing), when few enough are missing to look at again cheaply:
   * with more, objects are still streaming in and their events come after the record.
   */
  private async stillMissing(s3: CountingS3, context: MirrorContext, missingByChunk: Map<number, string[]>): Promise<Map<number, string[]>> {
    const addresses = [...new Set([...missingByChunk.values()].flat())].sort();
    if (addresses.length === 0 || addresses.length > SECOND_LOOK_MAX) return missingByChunk;
    const { missing } = await findMissingUnder(s3.client, context.namespace.bucket, context.namespace.prefix, addresses, {
      concurrency: this.settings.requestConcurrency,
    });
    if (missing.length === addresses.length) return missingByChunk;
    const still = new Set(missing);
    const confirmed = new Map<number, string[]>();
    for (const [index, chunkAddresses] of missingByChunk) {
      const kept = chunkAddresses.filter((a) => still.has(a));
      if (kept.length > 0) confirmed.set(index, kept);
    }
    return confirmed;
  }

  /** Chunks that found everything pass (in bulk, their ranges verified once whole); the sweep's requests are booked. */
  private async pass(context: MirrorContext, commitId: string, tallies: ChunkTally[], missingByChunk: Map<number, string[]>, requests: number): Promise<void> {
    const mirrorId = context.mirror.id;
    const passed = tallies.filter((_, i) => !missingByChunk.has(i));
    // The sweep's requests are booked on its first chunk: the commit's total is what counts.
    const first = tallies[0].chunk;
    await this.chunks.addRequests(mirrorId, commitId, first, requests);
    await this.missing.forgetChecks(
      mirrorId,
      commitId,
      passed.map((t) => checkerOf(t.chunk)),
    );
    await this.chunks.markManyChecked(
      mirrorId,
      commitId,
      passed.map((t) => ({ ...t.chunk, fullAddressObjects: t.fullAddress, skippedObjects: t.skipped, requests: 0 })),
    );
    await this.verifiedRanges.addManyWhenAllChunksChecked(mirrorId, commitId, [...new Set(passed.map((t) => t.chunk.rangeId))]);
    const outside = passed.reduce((n, t) => n + t.fullAddress, 0);
    if (outside > 0)
      this.log.warn({ mirror: mirrorId, commit: commitId, fullAddressObjects: outside }, 'objects outside the namespace: replication does not carry them');
  }
}

/** The chunks of `confirmed` whose lists are shorter than in `recorded` (a chunk no longer missing anything is passed instead). */
function changedLists(recorded: Map<number, string[]>, confirmed: Map<number, string[]>): Map<number, string[]> {
  if (recorded === confirmed) return new Map();
  return new Map([...confirmed].filter(([index, addresses]) => addresses.length < (recorded.get(index)?.length ?? 0)));
}
