import { EnvReader, loadConfig } from '@lakemirror/config';
import { Commit, LakefsNotFoundError } from '@lakemirror/lakefs-client';
import { ObjectLocation, parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { JobPayloads, QueueName, jobId } from '@lakemirror/queues';
import { holdBack, migratedSchema, release, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName, waitFor } from '@lakemirror/testing';
import type { Job } from 'bullmq';
import { PipelineUnderTest, createPipeline, registerMirror } from './pipeline.fixture';
import { NotReplicatedYetError } from './pipeline.errors';
import { readPipelineSettings } from './pipeline-settings';

type ChunkPayload = JobPayloads['verify-chunk'];

// Trust boundary: Redis (and Bull Board, which edits jobs there) is not trusted with what to
// check. A verify-chunk job whose payload is edited before a worker takes it must not mark an
// unchecked object as checked, and the commit must not be promoted while one of its objects is
// held back from region B; once the object arrives, the commit is mirrored all the same.
describe('a verify-chunk job edited in Redis', () => {
  const env = testEnvironment();
  const repository = uniqueName('trust-src');
  const mirror = `${repository}-m`;
  const sourceNamespace = parseStorageNamespace(`s3://${env.source.bucket}/mirrors/${repository}`);
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;

  const verifyQueue = () => pipeline.queues.queue(QueueName.CommitVerify);
  const inRegionB = (location: ObjectLocation): ObjectLocation => ({ bucket: env.regionB.bucket, key: location.key });
  const mirrorHead = async () => {
    try {
      return (await env.regionB.lakefs.getBranch(mirror, 'main')).commit_id;
    } catch (error) {
      if (error instanceof LakefsNotFoundError) return undefined;
      throw error;
    }
  };

  /** A commit of a few objects, one of which (sorted last) is held back from region B. */
  async function commitWithHeldObject(prefix: string): Promise<{ commit: Commit; held: ObjectLocation }> {
    await env.source.lakefs.uploadObject(repository, 'main', `${prefix}/z-late.csv`, 'arrives late');
    const address = (await env.source.lakefs.statObject(repository, 'main', `${prefix}/z-late.csv`)).physical_address;
    const held = { bucket: env.source.bucket, key: `${sourceNamespace.prefix}/${relativeAddressIn(sourceNamespace, address)}` };
    await holdBack(env.regionB.s3, inRegionB(held));
    for (let i = 0; i < 3; i++) await env.source.lakefs.uploadObject(repository, 'main', `${prefix}/on-time-${i}.csv`, `on time ${i}`);
    return { commit: await env.source.lakefs.commit(repository, 'main', { message: prefix }), held };
  }

  /**
   * With the verify queue paused: discovers the commit as the scanner does and plans every
   * pending commit (its flow's chunk jobs then wait in Redis), lets `edit` change each chunk
   * job, then lets the workers run.
   */
  async function planAndEdit(commit: Commit, edit: (chunk: Job<ChunkPayload>) => Promise<void>): Promise<void> {
    await verifyQueue().pause();
    try {
      await pipeline.scanner.scanMirror(mirror);
      for (const pending of (await pipeline.commits.unfinished(mirror)).filter((c) => c.state === 'pending')) {
        await waitFor(`commit ${pending.commitId} planned (its metarange in region B)`, async () => {
          await pipeline.planner.planCommit(mirror, pending.commitId, pending.generation).catch((error: unknown) => {
            if (!(error instanceof NotReplicatedYetError)) throw error;
          });
          return (await pipeline.commits.get(mirror, pending.commitId))?.state === 'verifying';
        });
      }
      const chunks = ((await verifyQueue().getJobs(['wait', 'paused'])) as Job<ChunkPayload>[]).filter(
        (job) => job.name === 'verify-chunk' && job.data.commitId === commit.id,
      );
      expect(chunks.length).toBeGreaterThan(0);
      for (const chunk of chunks) await edit(chunk);
    } finally {
      await verifyQueue().resume();
    }
  }

  /** The commit is held: not one chunk passes, it is neither verified nor on the mirror, and the branch has not moved to it. */
  async function expectHeld(commit: Commit): Promise<void> {
    expect((await pipeline.chunks.ofCommit(mirror, commit.id)).map((c) => c.checked)).not.toContain(true);
    expect((await pipeline.commits.get(mirror, commit.id))?.state).toBe('verifying');
    await expect(env.regionB.lakefs.getCommit(mirror, commit.id)).rejects.toThrow(LakefsNotFoundError);
    expect(await mirrorHead()).not.toBe(commit.id);
  }

  /** Once the object arrives, the commit is mirrored (through a fresh plan if the edited flow failed). */
  async function expectMirroredOnceReleased(commit: Commit, held: ObjectLocation): Promise<void> {
    await release(env.source.s3, held, env.regionB.s3, inRegionB(held));
    await waitFor(
      `the mirror branch to move to ${commit.id}`,
      async () => {
        await pipeline.reconciler.reconcile(mirror);
        return (await mirrorHead()) === commit.id;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    expect((await pipeline.chunks.ofCommit(mirror, commit.id)).every((c) => c.checked)).toBe(true);
  }

  /** The verifier looked at the whole planned chunk: it found the held object missing and recorded it for the commit. */
  const heldObjectRecordedMissing = (commit: Commit, held: ObjectLocation) =>
    waitFor(`${held.key} recorded missing for ${commit.id}`, async () => (await pipeline.missing.ofCommit(mirror, commit.id)).some((m) => m.key === held.key));

  beforeAll(async () => {
    schema = await migratedSchema('lm_trust');
    // Two attempts with short backoff: edited flows fail fast and are planned afresh.
    const settings = readPipelineSettings(new EnvReader({ LAKEMIRROR_RETRY_ATTEMPTS: '2', LAKEMIRROR_RETRY_BASE_MS: '100', LAKEMIRROR_RETRY_CAP_MS: '500' }));
    pipeline = await createPipeline({ ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') }, settings, ['verifier', 'promoter']);
    await env.source.lakefs.createRepository({
      name: repository,
      storage_namespace: `s3://${env.source.bucket}/mirrors/${repository}`,
      default_branch: 'main',
    });
    await registerMirror(schema.db, env.regionB.lakefs, {
      id: mirror,
      sourceRepository: repository,
      storageNamespace: `s3://${env.regionB.bucket}/mirrors/${repository}`,
    });
  });
  afterAll(async () => {
    await pipeline?.close();
    await schema?.drop();
    await env.source.lakefs.deleteRepository(repository).catch(() => undefined);
    await env.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
  });

  it('with its entry window narrowed to the first entry (present), still checks the whole chunk as planned', async () => {
    const { commit, held } = await commitWithHeldObject('narrowed');
    await planAndEdit(commit, (chunk) => chunk.updateData({ ...chunk.data, endEntry: chunk.data.firstEntry + 1 }));
    await heldObjectRecordedMissing(commit, held);
    await expectHeld(commit);
    await expectMirroredOnceReleased(commit, held);
  });

  it('with its range pointed at a range the mirror verified, checks nothing and passes nothing: the commit is not promoted', async () => {
    const [verifiedChunk] = await pipeline.chunks.ofCommit(mirror, (await mirrorHead()) as string);
    expect(await pipeline.verifiedRanges.verified(mirror, [verifiedChunk.rangeId])).toEqual(new Set([verifiedChunk.rangeId]));
    const { commit, held } = await commitWithHeldObject('redirected');
    const edited: string[] = [];
    await planAndEdit(commit, async (chunk) => {
      await chunk.updateData({ ...chunk.data, rangeId: verifiedChunk.rangeId, firstEntry: verifiedChunk.firstEntry });
      edited.push(chunk.id as string);
    });
    await waitFor('the edited jobs to have run', async () => {
      const states = await Promise.all(edited.map((id) => verifyQueue().getJobState(id)));
      return states.every((state) => state === 'completed');
    });
    // The flow's parent saw its children complete and checked PostgreSQL: it refused at least once.
    const { generation } = (await pipeline.commits.get(mirror, commit.id)) as { generation: number };
    const parent = jobId.commitVerified({ mirrorId: mirror, commitId: commit.id, generation });
    await waitFor('the commit-verified job to refuse the commit', async () => {
      const job = await pipeline.queues.queue(QueueName.CommitPromote).getJob(parent);
      return (job?.attemptsMade ?? 0) > 0 && job?.failedReason?.includes('unchecked');
    });
    await expectHeld(commit);
    await expectMirroredOnceReleased(commit, held);
  });

  it("with the commit's generation changed (chunk and flow parent), still checks the chunk as planned and promotes nothing", async () => {
    const { commit, held } = await commitWithHeldObject('regenerated');
    await planAndEdit(commit, async (chunk) => {
      const parent = await pipeline.queues.queue(QueueName.CommitPromote).getJob(jobId.commitVerified(chunk.data));
      if (parent && parent.data.generation === chunk.data.generation) await parent.updateData({ ...parent.data, generation: parent.data.generation + 7 });
      await chunk.updateData({ ...chunk.data, generation: chunk.data.generation + 7 });
    });
    await heldObjectRecordedMissing(commit, held);
    await expectHeld(commit);
    await expectMirroredOnceReleased(commit, held);
  });
});
