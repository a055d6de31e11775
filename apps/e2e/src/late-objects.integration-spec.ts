import { LakefsNotFoundError } from '@lakemirror/lakefs-client';
import { ObjectLocation, parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { QueueName } from '@lakemirror/queues';
import { holdBack, release } from '@lakemirror/test-environment';
import { startAppProcess, waitFor } from '@lakemirror/testing';
import { PipelineUnderTest, commitObjects, mirrorHead, waitUntilMirrored } from './pipeline.fixture';

// Late objects (docs/pipeline.md): region B's MinIO sends its object-created events to the API on
// the port scripts/env-up.sh gave it. An object held back from region B, found missing by its
// check, then released: the branch moves because of the event, long before the check's backoff
// would have run it again.
describe('a late object re-checked on its object-created event', () => {
  // A backoff of 30-60 s: a move before the retry's due time can only come from the event.
  const pipeline = new PipelineUnderTest({ LAKEMIRROR_RETRY_BASE_MS: '60000', LAKEMIRROR_RETRY_CAP_MS: '60000' });
  const { source, regionB } = pipeline.env;
  const eventsUrl = () => `${pipeline.api.url}/service/replication/v1/object-events`;
  const token = process.env.LAKEMIRROR_OBJECT_EVENTS_TOKEN as string;
  let repository: string;
  let mirror: string;

  const sourceNamespace = () => parseStorageNamespace(`s3://${source.bucket}/mirrors/${repository}`);
  const inRegionB = (location: ObjectLocation): ObjectLocation => ({ bucket: regionB.bucket, key: location.key });
  const post = (body: unknown, authorization = `Bearer ${token}`) =>
    fetch(eventsUrl(), { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** When the delayed job of the commit's chunk is due to run again (BullMQ's delayed set: score / 4096 is the time in ms). */
  async function retryDueAt(commitId: string): Promise<number | undefined> {
    const queue = pipeline.queue(QueueName.CommitVerify);
    const jobs = await queue.getJobs(['delayed']);
    const job = jobs.find((j) => j.name === 'verify-chunk' && j.data.commitId === commitId);
    if (!job?.id) return undefined;
    const score = await (await queue.client).zscore(queue.toKey('delayed'), job.id);
    return score === null ? undefined : Math.floor(Number(score) / 0x1000);
  }

  beforeAll(async () => {
    expect(token).toBeTruthy();
    await pipeline.start('scanner', 'verifier', 'promoter');
    const port = Number(process.env.LAKEMIRROR_ENV_OBJECT_EVENTS_PORT ?? 8080);
    pipeline.processes.set('api', await startAppProcess('api', pipeline.appEnv, { port }));
    repository = await pipeline.createSourceRepository('e2e-late');
    await commitObjects(source.lakefs, repository, 'main', 'base', 20);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('moves the branch when the missing object lands, not at the next retry', async () => {
    const previousHead = (await source.lakefs.getBranch(repository, 'main')).commit_id;
    await source.lakefs.uploadObject(repository, 'main', 'late/object.csv', 'arrives late');
    const address = (await source.lakefs.statObject(repository, 'main', 'late/object.csv')).physical_address;
    const key = `${sourceNamespace().prefix}/${relativeAddressIn(sourceNamespace(), address)}`;
    const location = { bucket: source.bucket, key };
    await holdBack(regionB.s3, inRegionB(location));
    const commit = await commitObjects(source.lakefs, repository, 'main', 'on-time', 10);

    await waitFor('the status to name the held object as missing', async () => {
      const status = await pipeline.status(repository, mirror);
      return status.in_flight.find((c) => c.commit_id === commit.id)?.missing_objects.some((m) => m.key === key);
    });
    const dueAt = await waitFor('the chunk to wait out its backoff', () => retryDueAt(commit.id));
    expect(await mirrorHead(regionB.lakefs, mirror, 'main')).toBe(previousHead);
    await expect(regionB.lakefs.getCommit(mirror, commit.id)).rejects.toThrow(LakefsNotFoundError);

    await release(source.s3, location, regionB.s3, inRegionB(location));
    await waitFor('the mirror branch to move once the object arrived', async () => (await mirrorHead(regionB.lakefs, mirror, 'main')) === commit.id, {
      timeoutMs: 120_000,
    });
    // The backoff's retry was still to come: the event ran the check.
    expect(Date.now()).toBeLessThan(dueAt);
    const recheck = pipeline.api
      .output()
      .split('\n')
      .find((line) => line.includes('late object arrived: its check runs now'));
    expect(recheck).toContain(`"key":"${key}"`);
    const audited = await pipeline.db.query(`SELECT actor, action, target, detail FROM audit_log WHERE action = 'mirror.commit.recheck'`);
    expect(audited).toEqual([
      expect.objectContaining({
        actor: 'object-events',
        target: `mirror:${mirror}/commit:${commit.id}`,
        detail: expect.objectContaining({ key, trigger: 'object-created' }),
      }),
    ]);
    expect((await pipeline.status(repository, mirror)).in_flight).toEqual([]);
  });

  it('ignores objects no check waits for', async () => {
    const response = await post({
      Records: [{ eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: regionB.bucket }, object: { key: 'mirrors/nobody/waits' } } }],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ objects: 1, rechecked: 0 });
  });

  it('refuses a wrong token and a body that is no event, naming the field', async () => {
    const wrong = await post({ Records: [] }, 'Bearer not-the-object-events-token');
    expect(wrong.status).toBe(401);
    const none = await post({ Records: [] }, '');
    expect(none.status).toBe(401);
    const bad = await post({ Records: [{ eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: {} } }] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: { 'Records[0].s3.object.key': expect.any(String) } });
  });
});
