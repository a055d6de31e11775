import { Commit } from '@lakemirror/lakefs-client';
import { RedisInstance, freePort } from '@lakemirror/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordFault } from './fault-report';
import { startHistoryChecker } from './history-checker';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

// Fault 3 of the matrix: the pipeline's Redis (a server of the test's own, on its own port) goes
// down for 5 s and for 60 s and comes back with its data, and comes back empty. The apps are
// never restarted: their workers must reconnect and take jobs again (BullMQ has known
// reconnection stalls), which the commits made after each outage, mirrored, prove.
describe('Redis down and back', () => {
  let redis: RedisInstance;
  let pipeline: PipelineUnderTest;
  let repository: string;
  let mirror: string;
  let pids: Record<string, number>;

  const processIds = () => Object.fromEntries([...pipeline.processes].map(([name, app]) => [name, app.pid]));

  /** Commits on the source while Redis is down, every few seconds, until `outageMs` is over. */
  async function commitDuringOutage(outageMs: number, prefix: string): Promise<Commit[]> {
    const start = Date.now();
    const commits: Commit[] = [];
    while (Date.now() - start < outageMs) {
      commits.push(await commitObjects(pipeline.env.source.lakefs, repository, 'main', `${prefix}-${commits.length}`, 5));
      await sleep(Math.min(5_000, Math.max(0, outageMs - (Date.now() - start))));
    }
    return commits;
  }

  /** Runs one outage with the checker on; asserts the history and that the same processes mirrored what came after. */
  async function survive(tag: string, fault: string, outage: () => Promise<string>): Promise<void> {
    const checker = startHistoryChecker(pipeline, repository, mirror);
    try {
      await commitObjects(pipeline.env.source.lakefs, repository, 'main', `${tag}-in-flight`, 100);
      const detail = await outage();
      const after = await commitObjects(pipeline.env.source.lakefs, repository, 'main', `${tag}-after-outage`, 5);
      checker.faultsEnded();
      const summary = await checker.assertHolds({ timeoutMs: 240_000 });
      expect((await pipeline.env.regionB.lakefs.getBranch(mirror, 'main')).commit_id).toBe(after.id);
      expect(processIds()).toEqual(pids);
      expect(summary.lost).toBe(0);
      recordFault({ fault, injections: 1, lost: summary.lost, convergeSeconds: summary.convergeSeconds, detail });
    } finally {
      await checker.stop();
    }
  }

  beforeAll(async () => {
    redis = await RedisInstance.start(await freePort());
    pipeline = new PipelineUnderTest({ LAKEMIRROR_REDIS_URL: redis.url });
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    pids = processIds();
    repository = await pipeline.createSourceRepository('e2e-redis-fault');
    await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'base', 20);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
  });
  afterAll(async () => {
    await redis?.up();
    await pipeline?.stop();
    await redis?.stop();
    await pipeline?.deleteRepositories(repository, mirror);
  });

  it('takes jobs again after Redis is down for 5 s and comes back with its data', async () => {
    await survive('down-5s', 'Redis down for 5 s, back with its data', async () => {
      await redis.down({ keepData: true });
      const commits = await commitDuringOutage(5_000, 'down-5s');
      await redis.up();
      return `${commits.length} source commits during the outage`;
    });
  }, 600_000);

  it('takes jobs again after Redis is down for 60 s and comes back with its data', async () => {
    await survive('down-60s', 'Redis down for 60 s, back with its data', async () => {
      await redis.down({ keepData: true });
      const commits = await commitDuringOutage(60_000, 'down-60s');
      await redis.up();
      return `${commits.length} source commits during the outage`;
    });
  }, 600_000);

  it('takes jobs again after Redis comes back empty', async () => {
    await survive('empty', 'Redis restarted empty', async () => {
      await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'before-loss', 5);
      await redis.restartEmpty();
      return 'queued and running jobs lost';
    });
  }, 600_000);
});
