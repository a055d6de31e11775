import { collect } from '@lakemirror/lakefs-client';
import { parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { holdBack, release } from '@lakemirror/test-environment';
import { RedisInstance, freePort, runAppExpectingExit, waitFor } from '@lakemirror/testing';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

// Invariant 5 (nothing lost): processes killed mid-commit and a Redis that comes back empty only
// delay mirroring; the pipeline rebuilds its work from PostgreSQL and lakeFS and converges, with
// every commit recorded once and none missing. Redis here is the test's own, on its own port.
describe('recovery from crashes and a lost Redis', () => {
  let redis: RedisInstance;
  let pipeline: PipelineUnderTest;
  let repository: string;
  let mirror: string;

  const commitStates = async () => {
    const rows: { state: string; n: string }[] = await pipeline.db.query(
      `SELECT state, count(*) AS n FROM mirror_commits WHERE mirror_id = $1 GROUP BY state`,
      [mirror],
    );
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  };

  beforeAll(async () => {
    redis = await RedisInstance.start(await freePort());
    pipeline = new PipelineUnderTest({ LAKEMIRROR_REDIS_URL: redis.url, LAKEMIRROR_VERIFY_CHUNK_OBJECTS: '100' });
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-recovery');
    await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'base', 20);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
  });
  afterAll(async () => {
    await pipeline?.stop();
    await redis?.stop();
    await pipeline?.deleteRepositories(repository, mirror);
  });

  it('converges after the verifier and promoter are killed mid-commit and Redis restarts empty', async () => {
    const { source, regionB } = pipeline.env;
    // A large commit whose one object lags, with more commits on top of it: all in flight at once.
    await source.lakefs.uploadObject(repository, 'main', 'late/object.bin', 'late');
    const namespace = parseStorageNamespace(`s3://${source.bucket}/mirrors/${repository}`);
    const key = `${namespace.prefix}/${relativeAddressIn(namespace, (await source.lakefs.statObject(repository, 'main', 'late/object.bin')).physical_address)}`;
    await holdBack(regionB.s3, { bucket: regionB.bucket, key });
    const large = await commitObjects(source.lakefs, repository, 'main', 'large', 1_500);
    for (let i = 0; i < 5; i++) await commitObjects(source.lakefs, repository, 'main', `after-${i}`, 5);

    // The later commits share the range holding the late object: they wait on it too.
    await waitFor('the large commit and those after it in flight, the late object named missing', async () => {
      const status = await pipeline.status(repository, mirror);
      const inFlight = status.in_flight.find((c) => c.commit_id === large.id);
      return status.in_flight.length === 6 && inFlight && inFlight.objects_total >= 1_500 && inFlight.missing_objects.map((m) => m.key).join() === key;
    });
    await pipeline.kill('verifier');
    await pipeline.kill('promoter');

    await release(source.s3, { bucket: source.bucket, key }, regionB.s3, { bucket: regionB.bucket, key });
    await pipeline.start('verifier');
    // (A job the killed verifier held comes back once BullMQ sees its lock expire.)
    await waitFor(
      'the large commit to pass its checks',
      async () => {
        const inFlight = (await pipeline.status(repository, mirror)).in_flight.find((c) => c.commit_id === large.id);
        return inFlight && inFlight.objects_checked === inFlight.objects_total && inFlight.missing_objects.length === 0;
      },
      { timeoutMs: 120_000 },
    ).catch(async (error: Error) => {
      const rows = await pipeline.db.query(`SELECT commit_id, state, generation FROM mirror_commits WHERE mirror_id = $1 AND state <> 'recorded'`, [mirror]);
      const chunks = await pipeline.db.query(
        `SELECT commit_id, range_id, first_entry, checked_at FROM commit_chunks WHERE mirror_id = $1 AND checked_at IS NULL`,
        [mirror],
      );
      const output = [...pipeline.processes.values()].map((p) => `--- ${p.app}\n${p.output().slice(-3000)}`).join('\n');
      throw new Error(`${error.message}\ncommits: ${JSON.stringify(rows)}\nunchecked chunks: ${JSON.stringify(chunks)}\n${output}`);
    });
    // Its flow now waits for a promoter; Redis dies and comes back with nothing.
    await redis.restartEmpty();
    await pipeline.start('promoter');

    await waitUntilMirrored(pipeline, repository, mirror);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const sourceLog = (await collect(source.lakefs.log(repository, 'main'))).sort(byId);
    expect((await collect(regionB.lakefs.log(mirror, 'main'))).sort(byId)).toEqual(sourceLog);
    expect(await commitStates()).toEqual({ recorded: sourceLog.length });
    expect((await pipeline.status(repository, mirror)).in_flight).toEqual([]);
  }, 300_000);

  it('refuses to start against a Redis that may evict keys, saying what to change', async () => {
    const evicting = await RedisInstance.start(await freePort(), ['--maxmemory-policy', 'allkeys-lru']);
    try {
      const { code, output } = await runAppExpectingExit('verifier', { ...pipeline.appEnv, LAKEMIRROR_REDIS_URL: evicting.url });
      expect(code).toBe(1);
      expect(output.trim()).toBe(
        'verifier: could not start: Redis maxmemory-policy is "allkeys-lru", but the job queues need "noeviction" (Redis would otherwise drop queued jobs under memory pressure); ' +
          'set it with: redis-cli CONFIG SET maxmemory-policy noeviction (and in redis.conf)',
      );
    } finally {
      await evicting.stop();
    }
  });
});
