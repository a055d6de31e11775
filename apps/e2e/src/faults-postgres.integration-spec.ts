import { PostgresInstance, freePort, waitFor } from '@lakemirror/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordFault } from './fault-report';
import { startHistoryChecker } from './history-checker';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

// Fault 2 of the matrix: the pipeline's PostgreSQL (a server of the test's own, on its own port)
// crashes mid-flight, and is down for a minute while the source keeps committing. The apps are
// never restarted: they must reconnect by themselves and converge, with the history intact.
describe('PostgreSQL crashing and down', () => {
  let postgres: PostgresInstance;
  let pipeline: PipelineUnderTest;
  let repository: string;
  let mirror: string;

  beforeAll(async () => {
    postgres = await PostgresInstance.start(await freePort());
    pipeline = new PipelineUnderTest({ LAKEMIRROR_DATABASE_URL: postgres.url });
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-pg-fault');
    await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'base', 20);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
  });
  afterAll(async () => {
    await postgres?.up();
    await pipeline?.stop();
    await postgres?.stop();
    await pipeline?.deleteRepositories(repository, mirror);
  });

  it('converges after PostgreSQL is killed and restarted mid-flight', async () => {
    const { source } = pipeline.env;
    const checker = startHistoryChecker(pipeline, repository, mirror);
    try {
      await source.lakefs.createBranch(repository, 'crash', 'main');
      const inFlight = await Promise.all([
        commitObjects(source.lakefs, repository, 'main', 'crash-main', 300),
        commitObjects(source.lakefs, repository, 'crash', 'crash-branch', 50),
      ]);
      // Mid-flight: the new commits are known to the pipeline but not on the mirror yet.
      const unrecorded = await waitUntilSeen(
        pipeline,
        mirror,
        inFlight.map((c) => c.id),
      );
      await postgres.crash();
      await commitObjects(source.lakefs, repository, 'main', 'after-crash', 10);
      checker.faultsEnded();
      const summary = await checker.assertHolds({ timeoutMs: 180_000 });
      expect(summary.lost).toBe(0);
      recordFault({
        fault: 'PostgreSQL killed and restarted mid-flight',
        injections: 1,
        lost: summary.lost,
        convergeSeconds: summary.convergeSeconds,
        detail: `${unrecorded} of ${inFlight.length} new commits not yet recorded at the crash`,
      });
    } finally {
      await checker.stop();
    }
  }, 600_000);

  it('converges after PostgreSQL is down for 60 s while the source keeps committing', async () => {
    const { source } = pipeline.env;
    const checker = startHistoryChecker(pipeline, repository, mirror);
    try {
      await commitObjects(source.lakefs, repository, 'main', 'before-outage', 100);
      await postgres.down();
      const downAt = Date.now();
      let commits = 0;
      while (Date.now() - downAt < 60_000) {
        await commitObjects(source.lakefs, repository, commits % 2 ? 'main' : 'crash', `during-outage-${commits++}`, 5);
        await sleep(5_000);
      }
      await postgres.up();
      await commitObjects(source.lakefs, repository, 'main', 'after-outage', 5);
      checker.faultsEnded();
      const summary = await checker.assertHolds({ timeoutMs: 240_000 });
      expect(summary.lost).toBe(0);
      recordFault({
        fault: 'PostgreSQL down for 60 s',
        injections: 1,
        lost: summary.lost,
        convergeSeconds: summary.convergeSeconds,
        detail: `${commits} source commits during the outage`,
      });
    } finally {
      await checker.stop();
    }
  }, 600_000);
});

/** Waits until the pipeline has stored each of `commitIds` (scanned); resolves with how many of them are not recorded yet. */
async function waitUntilSeen(pipeline: PipelineUnderTest, mirror: string, commitIds: string[]): Promise<number> {
  return waitFor(`the pipeline to see ${commitIds.join(', ')}`, async () => {
    const rows: { state: string }[] = await pipeline.db.query(`SELECT state FROM mirror_commits WHERE mirror_id = $1 AND commit_id = ANY($2)`, [
      mirror,
      commitIds,
    ]);
    return rows.length === commitIds.length && { inFlight: rows.filter((r) => r.state !== 'recorded').length };
  }).then((seen) => seen.inFlight);
}
