import { FaultProxy, waitFor } from '@lakemirror/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordFault } from './fault-report';
import { startHistoryChecker } from './history-checker';
import { PipelineUnderTest, commitObjects, mirrorHead, waitUntilMirrored, waitUntilReplicated } from './pipeline.fixture';

// Fault 5: the mirror region's object store unreachable. Every process reaches region B's S3
// through a FaultProxy; MinIO's own replication does not, so the objects really are in region B
// while the pipeline cannot see them. An unanswered check is not an absent object: nothing may be
// reported missing, the mirror must not move, and the status must say the region is unreachable.
// Retries are few, so that the fault outlasts them.
describe('the mirror region object store unreachable', () => {
  let objectStore: FaultProxy;
  let pipeline: PipelineUnderTest;
  let repository: string;
  let mirror: string;

  beforeAll(async () => {
    objectStore = await FaultProxy.start(process.env.LAKEMIRROR_REGION_REGION_B_S3_ENDPOINT as string);
    pipeline = new PipelineUnderTest({ LAKEMIRROR_REGION_REGION_B_S3_ENDPOINT: objectStore.url, LAKEMIRROR_RETRY_ATTEMPTS: '4' });
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-fault-s3');
    await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'base', 10);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
  });
  afterAll(async () => {
    // The proxy first: requests it still holds unanswered are dropped, so no job waits on them at shutdown.
    await objectStore?.stop();
    await pipeline?.stop();
    await pipeline?.deleteRepositories(repository, mirror);
  }, 180_000);

  /** Offset into a process's output, to wait for what it logs from now on. */
  const mark = (app: string) => pipeline.processes.get(app)?.output().length ?? 0;
  const logged = (app: string, from: number) => (pipeline.processes.get(app)?.output().slice(from) ?? '').split('\n');

  const missingRows = async (): Promise<{ commit_id: string; key: string }[]> =>
    pipeline.db.query(`SELECT commit_id, key FROM missing_objects WHERE mirror_id = $1`, [mirror]);

  /**
   * Commits while the object store is cut off (after the objects reached region B, so that any
   * "missing" would be false), waits until the planner failed against it (out of retries, unless
   * told otherwise), and checks
   * what the pipeline says meanwhile; then ends the fault, and the history checker must find the
   * invariants held and the mirror converged.
   */
  async function expectUnreachableNeverMissing(
    fault: string,
    inject: () => Promise<void>,
    detail: () => string,
    options: { failingJob?: 'plan-commit' | 'verify-chunk'; outOfRetries?: boolean } = {},
  ): Promise<void> {
    const { source, regionB } = pipeline.env;
    const checker = startHistoryChecker(pipeline, repository, mirror);
    try {
      const before = await mirrorHead(regionB.lakefs, mirror, 'main');
      const from = mark('verifier');
      await inject();
      const commits = [
        await commitObjects(source.lakefs, repository, 'main', `${fault}-1`, 30),
        await commitObjects(source.lakefs, repository, 'main', `${fault}-2`, 30),
      ];
      await waitUntilReplicated(pipeline, repository);
      // A blackhole answers nothing: each try waits out the S3 client's idle time-out, so there the first failure is enough.
      const { failingJob = 'plan-commit', outOfRetries = true } = options;
      const failure = outOfRetries ? '"retrying":false' : '"retrying"';
      await waitFor(
        `${failingJob} to fail${outOfRetries ? ' out of retries' : ''} against the unreachable object store`,
        async () => logged('verifier', from).some((line) => line.includes(`${failingJob} failed`) && line.includes(failure)),
        { timeoutMs: 240_000 },
      );
      const status = await waitFor('the status to say region B is unreachable', async () => {
        const s = await pipeline.status(repository, mirror);
        return s.region?.reachable === false ? s : undefined;
      });
      expect(status.region).toMatchObject({ name: 'region-b', reachable: false, lakefs: { reachable: true, error: null }, object_store: { reachable: false } });
      expect(status.region?.object_store.error).toEqual(expect.any(String));
      expect(status.in_flight.map((c) => c.commit_id).sort()).toEqual(commits.map((c) => c.id).sort());
      expect(status.in_flight.flatMap((c) => c.missing_objects)).toEqual([]);
      expect(status.stalled).toBe(false);
      expect(await missingRows()).toEqual([]);
      // More retries and reconciler rounds later: still nothing missing, nothing verified, not moved.
      await sleep(3_000);
      expect(await missingRows()).toEqual([]);
      expect(await mirrorHead(regionB.lakefs, mirror, 'main')).toBe(before);
      const states: { state: string }[] = await pipeline.db.query(`SELECT state FROM mirror_commits WHERE mirror_id = $1 AND commit_id = ANY($2)`, [
        mirror,
        commits.map((c) => c.id),
      ]);
      expect(states.map((s) => s.state).filter((state) => state === 'verified' || state === 'recorded')).toEqual([]);

      await objectStore.pass();
      checker.faultsEnded();
      const summary = await checker.assertHolds({ timeoutMs: 180_000 });
      expect(summary.lost).toBe(0);
      expect(await missingRows()).toEqual([]);
      await waitFor('the status to say region B is reachable again', async () => (await pipeline.status(repository, mirror)).region?.reachable === true);
      recordFault({ fault: `mirror object store ${fault}`, injections: 1, lost: summary.lost, convergeSeconds: summary.convergeSeconds, detail: detail() });
    } finally {
      await checker.stop();
    }
  }

  it('never reports objects missing nor promotes while the object store refuses connections', async () => {
    await expectUnreachableNeverMissing(
      'down',
      () => objectStore.down(),
      () => 'connections refused',
    );
  }, 400_000);

  it('never reports objects missing nor promotes while the object store swallows requests, and recovers from the hung ones', async () => {
    const swallowed = objectStore.requests('blackhole');
    await expectUnreachableNeverMissing(
      'blackhole',
      () => objectStore.blackhole(),
      () => `${objectStore.requests('blackhole') - swallowed} requests never answered`,
      { outOfRetries: false },
    );
  }, 400_000);

  it('never reports objects missing while only the presence checks go unanswered, the metadata still readable', async () => {
    const swallowed = objectStore.requests('blackhole');
    // HEAD (of objects and of the bucket) and LIST go into the blackhole; GETs of the metarange and ranges pass, so planning succeeds and the chunks' checks meet the fault.
    const presenceCheck = ({ method, url }: { method: string; url: string }) => method === 'HEAD' || url.includes('list-type=2');
    await expectUnreachableNeverMissing(
      'presence checks unanswered',
      () => objectStore.blackhole(presenceCheck),
      () => `${objectStore.requests('blackhole') - swallowed} HEAD and LIST requests never answered`,
      { failingJob: 'verify-chunk', outOfRetries: false },
    );
  }, 400_000);

  it('never reports objects missing nor promotes while the object store answers 500', async () => {
    const answered = objectStore.requests('http5xx');
    await expectUnreachableNeverMissing(
      'answering 500',
      () => objectStore.http5xx(500),
      () => `${objectStore.requests('http5xx') - answered} requests answered 500`,
    );
  }, 400_000);
});
