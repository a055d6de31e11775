import { FaultProxy, waitFor } from '@lakemirror/testing';
import { recordFault } from './fault-report';
import { startHistoryChecker } from './history-checker';
import { PipelineUnderTest, commitObjects, mirrorHead, waitUntilMirrored } from './pipeline.fixture';

// Fault 4: lakeFS unreachable or misbehaving. Every process of the pipeline talks to the
// destination and the source lakeFS through a FaultProxy; the test commits on the source (on the
// real server) while the fault lasts. The mirror must not move while it cannot be written, must
// converge once the fault ends, and every commit must end recorded exactly once. Retries are few,
// so that faults outlast them and recovery rests on the reconciler, not on a lucky retry.
describe('faults of the destination and source lakeFS', () => {
  let destination: FaultProxy;
  let source: FaultProxy;
  let pipeline: PipelineUnderTest;
  let repository: string;
  let mirror: string;

  beforeAll(async () => {
    destination = await FaultProxy.start(process.env.LAKEMIRROR_REGION_REGION_B_LAKEFS_ENDPOINT as string);
    source = await FaultProxy.start(process.env.LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT as string);
    pipeline = new PipelineUnderTest({
      LAKEMIRROR_REGION_REGION_B_LAKEFS_ENDPOINT: destination.url,
      LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT: source.url,
      LAKEMIRROR_RETRY_ATTEMPTS: '4',
    });
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-fault-lakefs');
    await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'base', 10);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
  });
  afterAll(async () => {
    await pipeline?.stop();
    await destination?.stop();
    await source?.stop();
    await pipeline?.deleteRepositories(repository, mirror);
  });

  const commitStates = async (commitIds: string[]): Promise<string[]> => {
    const rows: { state: string }[] = await pipeline.db.query(`SELECT state FROM mirror_commits WHERE mirror_id = $1 AND commit_id = ANY($2)`, [
      mirror,
      commitIds,
    ]);
    return rows.map((r) => r.state);
  };

  /** Offset into a process's output, to wait for what it logs from now on. */
  const mark = (app: string) => pipeline.processes.get(app)?.output().length ?? 0;
  const loggedSince = (app: string, from: number, text: string) => (pipeline.processes.get(app)?.output().slice(from) ?? '').includes(text);

  /**
   * Runs `fault` under the history checker: `inject` starts the fault and returns once the
   * pipeline has met it, `end` stops it; then the invariants must hold and the mirror converge.
   */
  async function survives(fault: string, inject: () => Promise<void>, end: () => Promise<string>): Promise<void> {
    const checker = startHistoryChecker(pipeline, repository, mirror);
    try {
      await inject();
      const detail = await end();
      checker.faultsEnded();
      const summary = await checker.assertHolds({ timeoutMs: 180_000 });
      expect(summary.lost).toBe(0);
      recordFault({ fault, injections: 1, lost: summary.lost, convergeSeconds: summary.convergeSeconds, detail });
    } finally {
      await checker.stop();
    }
  }

  it('holds the mirror while the destination lakeFS is down, and converges once it is back', async () => {
    const { source: src, regionB } = pipeline.env;
    await survives(
      'destination lakeFS down',
      async () => {
        const before = await mirrorHead(regionB.lakefs, mirror, 'main');
        const from = mark('promoter');
        await destination.down();
        const ids = [
          (await commitObjects(src.lakefs, repository, 'main', 'while-down-1', 5)).id,
          (await commitObjects(src.lakefs, repository, 'main', 'while-down-2', 5)).id,
        ];
        // Verification needs only region B's object store: the commits get verified, then recording fails until retries run out.
        await waitFor('the commits verified and their promotion out of retries', async () => {
          const states = await commitStates(ids);
          return states.length === 2 && states.every((s) => s === 'verified') && loggedSince('promoter', from, '"retrying":false');
        });
        const status = await waitFor('the status to say the region lakeFS is unreachable', async () => {
          const s = await pipeline.status(repository, mirror);
          return s.region?.reachable === false ? s : undefined;
        });
        expect(status.region).toMatchObject({ reachable: false, lakefs: { reachable: false }, object_store: { reachable: true, error: null } });
        expect(status.in_flight.map((c) => c.commit_id).sort()).toEqual([...ids].sort());
        expect(await mirrorHead(regionB.lakefs, mirror, 'main')).toBe(before);
      },
      async () => {
        await destination.pass();
        return 'connections refused until the promoter ran out of retries';
      },
    );
    await waitFor('the status to say the region is reachable again', async () => (await pipeline.status(repository, mirror)).region?.reachable === true);
  }, 400_000);

  it('keeps mirroring while the destination lakeFS answers only after seconds', async () => {
    let detail = '';
    await survives(
      'destination lakeFS slow (3 s a request)',
      async () => {
        const slowBefore = destination.requests('slow');
        await destination.slow(3_000);
        const commit = await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'while-slow', 5);
        const started = Date.now();
        // Slow is not down: the pipeline must get through while the fault lasts.
        await waitFor(
          'the mirror to reach the commit through the slow lakeFS',
          async () => (await mirrorHead(pipeline.env.regionB.lakefs, mirror, 'main')) === commit.id,
          {
            timeoutMs: 180_000,
            intervalMs: 500,
          },
        );
        const slowed = destination.requests('slow') - slowBefore;
        expect(slowed).toBeGreaterThan(0);
        detail = `${slowed} requests delayed 3 s; mirrored during the fault, in ${Math.round((Date.now() - started) / 1000)} s`;
      },
      async () => {
        await destination.pass();
        return detail;
      },
    );
  }, 400_000);

  it('holds the mirror while the destination lakeFS answers 503 and 500, and converges once it recovers', async () => {
    const { source: src, regionB } = pipeline.env;
    const answeredBefore = destination.requests('http5xx');
    await survives(
      'destination lakeFS answering 5xx',
      async () => {
        const before = await mirrorHead(regionB.lakefs, mirror, 'main');
        for (const status of [503, 500]) {
          const from = mark('promoter');
          await destination.http5xx(status);
          const commit = await commitObjects(src.lakefs, repository, 'main', `while-${status}`, 5);
          await waitFor(
            `promotion out of retries against ${status}s`,
            async () => (await commitStates([commit.id]))[0] === 'verified' && loggedSince('promoter', from, '"retrying":false'),
          );
        }
        expect(await mirrorHead(regionB.lakefs, mirror, 'main')).toBe(before);
      },
      async () => {
        const answered = destination.requests('http5xx') - answeredBefore;
        await destination.pass();
        return `${answered} requests answered 503 or 500`;
      },
    );
  }, 400_000);

  it('converges after the source lakeFS goes down in the middle of a scan', async () => {
    await survives(
      'source lakeFS down during a scan',
      async () => {
        const from = mark('scanner');
        const slowBefore = source.requests('slow');
        // Slow first, so that a scan is caught with a request on the wire when the source goes down.
        await source.slow(2_000);
        await waitFor('a scan request in flight', async () => source.requests('slow') > slowBefore);
        await source.down();
        const ids = [
          (await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'source-down-1', 5)).id,
          (await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'source-down-2', 5)).id,
        ];
        await waitFor('the scanner to fail against the unreachable source', async () => loggedSince('scanner', from, 'scan-source failed'));
        // The scanner cannot have seen them: nothing about them in PostgreSQL yet.
        expect(await commitStates(ids)).toEqual([]);
      },
      async () => {
        await source.pass();
        return "a scan's connection dropped mid-request, then connections refused";
      },
    );
  }, 400_000);
});
