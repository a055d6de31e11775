import { PutObjectCommand } from '@aws-sdk/client-s3';
import { EnvReader, loadConfig } from '@lakemirror/config';
import { Commit, LakefsNotFoundError } from '@lakemirror/lakefs-client';
import { ObjectLocation, lakefsMetadataObject, objectExists, parseStorageNamespace } from '@lakemirror/object-store';
import { QueueName } from '@lakemirror/queues';
import { S3ObjectSource, newRangeIds, readMetaRange } from '@lakemirror/range-reader';
import { migratedSchema, release, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName, waitFor } from '@lakemirror/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelineUnderTest, createPipeline, registerMirror } from './pipeline.fixture';
import { readPipelineSettings } from './pipeline-settings';

// Fault 6 of issue #11, end to end on the real servers: a cause no retry can fix fails its commit
// once (no retries, no replans), holds its branch, shows in status and metrics with its reason,
// and an operator's retry after the fix lets the mirror catch up.
describe('permanent failures', () => {
  const env = testEnvironment();
  const { source, regionB } = env;
  const repository = uniqueName('perm-src');
  const mirror = `${repository}-m`;
  const settings = readPipelineSettings(
    new EnvReader({ LAKEMIRROR_SCAN_INTERVAL_MS: '300', LAKEMIRROR_RETRY_BASE_MS: '100', LAKEMIRROR_RETRY_CAP_MS: '400', LAKEMIRROR_RETRY_ATTEMPTS: '5' }),
  );
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;

  const sourceNamespaceUri = `s3://${source.bucket}/mirrors/${repository}`;
  const sourceNamespace = () => parseStorageNamespace(sourceNamespaceUri);
  const inRegionB = (location: ObjectLocation): ObjectLocation => ({ bucket: regionB.bucket, key: location.key });
  const mirrorHead = async (name = mirror) => {
    try {
      return (await regionB.lakefs.getBranch(name, 'main')).commit_id;
    } catch (error) {
      if (error instanceof LakefsNotFoundError) return undefined;
      throw error;
    }
  };
  const sourceHead = async () => (await source.lakefs.getBranch(repository, 'main')).commit_id;
  const row = async (commitId: string, mirrorId = mirror) =>
    (
      await schema.db.query(`SELECT state, generation, failure_reason, last_error, failed_at FROM mirror_commits WHERE mirror_id = $1 AND commit_id = $2`, [
        mirrorId,
        commitId,
      ])
    )[0] as { state: string; generation: number; failure_reason: string | null; last_error: string | null; failed_at: Date | null } | undefined;
  const commitFiles = async (prefix: string, count: number): Promise<Commit> => {
    for (let i = 0; i < count; i++) await source.lakefs.uploadObject(repository, 'main', `${prefix}/object-${i}.txt`, `${prefix} ${i}`);
    return source.lakefs.commit(repository, 'main', { message: `${count} objects under ${prefix}` });
  };
  const metaRangeOf = async (id: string) => {
    const file = lakefsMetadataObject(sourceNamespace(), id);
    return readMetaRange(new S3ObjectSource(source.s3, file.bucket, file.key));
  };
  /** Every job of the commit the verify queue holds, with how often each ran. */
  const verifyJobsOf = async (commitId: string) =>
    (await pipeline.queues.queue(QueueName.CommitVerify).getJobs(['active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed']))
      .filter((job) => job.data.commitId === commitId)
      .map((job) => ({ id: job.id, attemptsMade: job.attemptsMade, failedReason: job.failedReason }));
  const waitUntilMirrored = () =>
    waitFor('the mirror to reach the source head', async () => (await mirrorHead()) === (await sourceHead()), { timeoutMs: 120_000, intervalMs: 300 });

  beforeAll(async () => {
    schema = await migratedSchema('lm_perm');
    pipeline = await createPipeline({ ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') }, settings, [
      'scanner',
      'verifier',
      'promoter',
    ]);
    await source.lakefs.createRepository({ name: repository, storage_namespace: sourceNamespaceUri, default_branch: 'main' });
    await commitFiles('base', 3);
    await registerMirror(schema.db, regionB.lakefs, {
      id: mirror,
      sourceRepository: repository,
      storageNamespace: `s3://${regionB.bucket}/mirrors/${repository}`,
    });
    await waitUntilMirrored();
  });
  afterAll(async () => {
    await pipeline?.close();
    await schema?.drop();
    await source.lakefs.deleteRepository(repository).catch(() => undefined);
    await regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
  });

  /**
   * Commits with verification paused, overwrites `pick`'s file in region B with garbage once
   * MinIO replicated it, then lets verification run: the commit must fail once, hold the branch
   * and say why; after the right bytes are back and an operator retried it, the mirror catches up.
   */
  async function corruptThenRecover(prefix: string, pick: (commit: Commit) => Promise<string>, failingJob: 'plan' | 'verify'): Promise<void> {
    const previousHead = await sourceHead();
    const verify = pipeline.queues.queue(QueueName.CommitVerify);
    await verify.pause();
    let commit: Commit;
    let corrupted: ObjectLocation;
    try {
      commit = await commitFiles(prefix, 5);
      corrupted = lakefsMetadataObject(sourceNamespace(), await pick(commit));
      await waitFor(`${corrupted.key} to reach region B`, () => objectExists(regionB.s3, inRegionB(corrupted)), { timeoutMs: 60_000 });
      await regionB.s3.send(new PutObjectCommand({ Bucket: regionB.bucket, Key: corrupted.key, Body: 'not an SSTable at all' }));
    } finally {
      await verify.resume();
    }

    const failed = await waitFor('the commit to fail', async () => ((await row(commit.id))?.state === 'failed' ? row(commit.id) : undefined), {
      timeoutMs: 120_000,
    });
    expect(failed?.failure_reason).toBe('corrupt_metadata');
    expect(failed?.last_error).toContain(corrupted.key);
    // Not retried: the failing job ran once, and several scans (each reconciling) later nothing ran again or was planned afresh.
    const jobName = failingJob === 'plan' ? 'plan' : 'verify';
    const ranOnce = (jobs: Awaited<ReturnType<typeof verifyJobsOf>>) => jobs.filter((j) => j.id?.startsWith(jobName) && j.failedReason);
    expect(ranOnce(await verifyJobsOf(commit.id)).map((j) => j.attemptsMade)).toEqual([1]);
    const jobsThen = await verifyJobsOf(commit.id);
    await sleep(3_000);
    expect(await row(commit.id)).toEqual(failed);
    expect(await verifyJobsOf(commit.id)).toEqual(jobsThen);

    // The branch is held, and status and metrics say why.
    expect(await mirrorHead()).toBe(previousHead);
    await expect(regionB.lakefs.getCommit(mirror, commit.id)).rejects.toThrow(LakefsNotFoundError);
    const status = await pipeline.status.mirrorStatus(mirror);
    expect(status.failed_commits).toBe(1);
    expect(status.in_flight.find((c) => c.commit_id === commit.id)).toMatchObject({
      state: 'failed',
      failure_reason: 'corrupt_metadata',
      last_error: failed?.last_error,
      failed_at: failed?.failed_at?.toISOString(),
    });
    expect(status.branches.find((b) => b.branch === 'main')).toMatchObject({ up_to_date: false, held_by_failed_commits: [commit.id] });
    const metrics = await pipeline.metrics.scrape();
    expect(metrics).toContain(`lakemirror_commits_failed{mirror="${mirror}",reason="corrupt_metadata"} 1`);
    expect(metrics).toContain(`lakemirror_commits_failed{mirror="${mirror}",reason="destination_rejected"} 0`);

    // The operator restores the file and retries: planned again from scratch, and the mirror catches up.
    await release(source.s3, corrupted, regionB.s3, inRegionB(corrupted));
    expect(await pipeline.failures.retry(mirror, commit.id)).toEqual({ outcome: 'retried', generation: failed!.generation + 1 });
    expect(await pipeline.failures.retry(mirror, commit.id)).toMatchObject({ outcome: 'not-failed' });
    await waitUntilMirrored();
    expect(await row(commit.id)).toMatchObject({ state: 'recorded', failure_reason: null, last_error: null, failed_at: null });
    const after = await pipeline.status.mirrorStatus(mirror);
    expect(after.failed_commits).toBe(0);
    expect(await pipeline.metrics.scrape()).toContain(`lakemirror_commits_failed{mirror="${mirror}",reason="corrupt_metadata"} 0`);
  }

  it('fails a commit whose range file in region B is corrupt, once; a retry after the fix catches up', async () => {
    await corruptThenRecover(
      'range',
      async (commit) => {
        const parent = await source.lakefs.getCommit(repository, commit.parents[0]);
        const [rangeId] = newRangeIds(await metaRangeOf(parent.meta_range_id), await metaRangeOf(commit.meta_range_id));
        return rangeId;
      },
      'verify',
    );
  });

  it('fails a commit whose metarange in region B is corrupt, once; a retry after the fix catches up', async () => {
    await corruptThenRecover('metarange', async (commit) => commit.meta_range_id, 'plan');
  });

  it('fails a commit whose record the destination lakeFS rejects (400), without retrying it; a retry after the fix records it', async () => {
    const previousHead = await sourceHead();
    const promote = pipeline.queues.queue(QueueName.CommitPromote);
    await promote.pause();
    let commit: Commit;
    try {
      commit = await commitFiles('rejected', 2);
      await waitFor('the commit to be verified', async () => ['verifying', 'verified'].includes((await row(commit.id))?.state ?? ''), { timeoutMs: 60_000 });
      // The record as another lakeFS might report it: lakeFS derives a commit's ID from its fields, so the destination refuses it.
      await schema.db.query(
        `UPDATE mirror_commits SET source_commit = jsonb_set(source_commit, '{message}', '"changed under lakemirror"') WHERE mirror_id = $1 AND commit_id = $2`,
        [mirror, commit.id],
      );
    } finally {
      await promote.resume();
    }
    const failed = await waitFor('the commit to fail', async () => ((await row(commit.id))?.state === 'failed' ? row(commit.id) : undefined), {
      timeoutMs: 120_000,
    });
    expect(failed?.failure_reason).toBe('destination_rejected');
    expect(failed?.last_error).toMatch(/rejected its record \(400\): commit id: invalid value/);
    await sleep(3_000);
    // Not retried: the failure is the same one (same time, same generation), the branch held.
    expect(await row(commit.id)).toEqual(failed);
    expect(await mirrorHead()).toBe(previousHead);
    expect(await pipeline.metrics.scrape()).toContain(`lakemirror_commits_failed{mirror="${mirror}",reason="destination_rejected"} 1`);

    await schema.db.query(
      `UPDATE mirror_commits SET source_commit = jsonb_set(source_commit, '{message}', to_jsonb($3::text)) WHERE mirror_id = $1 AND commit_id = $2`,
      [mirror, commit.id, commit.message],
    );
    expect(await pipeline.failures.retry(mirror, commit.id)).toMatchObject({ outcome: 'retried' });
    await waitUntilMirrored();
    expect(await regionB.lakefs.getCommit(mirror, commit.id)).toEqual(commit);
  });

  it('fails a commit whose metarange ID is no file name, without retrying it', async () => {
    const head = await sourceHead();
    const malformed: Commit = {
      id: 'c0ffee0000malformed',
      parents: [head],
      committer: 'test',
      message: 'bad',
      creation_date: 1_700_000_000,
      meta_range_id: '../escape',
    };
    await pipeline.commits.addDiscovered(mirror, [malformed]);
    await pipeline.queues.add({ name: 'plan-commit', data: { mirrorId: mirror, commitId: malformed.id, generation: 0 } });
    const failed = await waitFor('the commit to fail', async () => ((await row(malformed.id))?.state === 'failed' ? row(malformed.id) : undefined));
    expect(failed).toMatchObject({ failure_reason: 'malformed_address', generation: 0 });
    expect(failed?.last_error).toContain('malformed address "../escape"');
  });
});

// A mirror whose region was removed from the configuration: its commits fail once with the reason, and nothing is retried forever.
describe('a mirror whose region is no longer configured', () => {
  const env = testEnvironment();
  const { source, regionB } = env;
  const repository = uniqueName('gone-src');
  const mirror = `${repository}-m`;
  const settings = readPipelineSettings(new EnvReader({ LAKEMIRROR_SCAN_INTERVAL_MS: '300', LAKEMIRROR_RETRY_BASE_MS: '100', LAKEMIRROR_RETRY_CAP_MS: '400' }));
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest | undefined;

  beforeAll(async () => {
    schema = await migratedSchema('lm_gone');
    await source.lakefs.createRepository({ name: repository, storage_namespace: `s3://${source.bucket}/mirrors/${repository}`, default_branch: 'main' });
    for (let i = 0; i < 2; i++) {
      await source.lakefs.uploadObject(repository, 'main', `file-${i}`, `content ${i}`);
      await source.lakefs.commit(repository, 'main', { message: `commit ${i}` });
    }
  });
  afterAll(async () => {
    await pipeline?.close();
    await schema?.drop();
    await source.lakefs.deleteRepository(repository).catch(() => undefined);
  });

  it('fails its commits with "region X is not configured" and retries nothing', async () => {
    const config = { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') };
    // Region "region-gone" existed when the mirror was made and its commits discovered (their plan jobs are in Redis)...
    const regionGone = { ...config.regions.find((r) => r.name === 'region-b')!, name: 'region-gone' };
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, 'region-gone', $3, 'active', 'test')`,
      [mirror, repository, `s3://${regionB.bucket}/mirrors/${repository}`],
    );
    const before = await createPipeline({ ...config, regions: [...config.regions, regionGone] }, settings);
    try {
      expect(await before.scanner.scanMirror(mirror)).toMatchObject({ newCommits: 3 });
    } finally {
      await before.close();
    }
    // ...then was removed from the configuration.
    pipeline = await createPipeline(config, settings, ['scanner', 'verifier', 'promoter']);
    const commits = await pipeline.commits.unfinished(mirror);
    expect(commits).toHaveLength(3);
    await waitFor('every commit to fail', async () => (await pipeline!.commits.unfinished(mirror)).every((c) => c.state === 'failed'), { timeoutMs: 60_000 });
    const failed = await pipeline.commits.unfinished(mirror);
    for (const commit of failed) {
      expect(commit.failure).toMatchObject({ reason: 'region_not_configured', error: expect.stringContaining('region region-gone is not configured') });
      expect(commit.generation).toBe(0);
    }
    const planJobs = async () =>
      (await pipeline!.queues.queue(QueueName.CommitVerify).getJobs(['active', 'waiting', 'delayed', 'completed', 'failed'])).map((j) => ({
        id: j.id,
        attemptsMade: j.attemptsMade,
      }));
    const jobs = await planJobs();
    expect(jobs.map((j) => j.attemptsMade)).toEqual([1, 1, 1]);
    await sleep(3_000);
    expect(await planJobs()).toEqual(jobs);
    expect(await pipeline.commits.unfinished(mirror)).toEqual(failed);
    const status = await pipeline.status.mirrorStatus(mirror);
    expect(status.failed_commits).toBe(3);
    expect(status.in_flight.map((c) => c.failure_reason)).toEqual(['region_not_configured', 'region_not_configured', 'region_not_configured']);
    expect(await pipeline.metrics.scrape()).toContain(`lakemirror_commits_failed{mirror="${mirror}",reason="region_not_configured"} 3`);
  });
});
