import { type Commit, LakefsNotFoundError } from '@lakemirror/lakefs-client';
import { ObjectLocation, parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import type { MirrorStatus } from '@lakemirror/pipeline';
import { holdBack, release } from '@lakemirror/test-environment';
import { waitFor } from '@lakemirror/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelineUnderTest, commitObjects, mirrorHead, waitUntilMirrored } from './pipeline.fixture';

interface Answer {
  status: number;
  body: Record<string, unknown> & { message: string };
}

// The whole pipeline with pause/resume and a mirror's max_lag_seconds: a paused mirror never moves
// while its source commits (its commit in flight is still verified, never recorded), and resuming
// catches up; a branch held back by replication lag longer than the limit answers 409 with its
// lag, and 200 once the object arrives.
describe('pause, resume and staleness', () => {
  const MAX_LAG_SECONDS = 3;
  const pipeline = new PipelineUnderTest();
  const { source, regionB } = pipeline.env;
  let repository: string;
  let mirror: string;

  const call = async (path: string, method = 'GET', body?: unknown): Promise<Answer> => {
    const response = await fetch(`${pipeline.api.url}/service/replication/v1/repositories/${repository}/mirrors${path}`, {
      method,
      headers: { ...pipeline.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Answer['body'] };
  };
  const freshness = (branch = 'main') => call(`/${mirror}/branches/${branch}/freshness`);
  const metrics = async () => (await fetch(`${pipeline.api.url}/metrics`, { headers: pipeline.auth })).text();
  const sourceNamespace = () => parseStorageNamespace(`s3://${source.bucket}/mirrors/${repository}`);
  const inRegionB = (location: ObjectLocation): ObjectLocation => ({ bucket: regionB.bucket, key: location.key });

  /** Commits a few objects on main, one of which is held back from region B: the commit cannot be verified until it is released. */
  async function commitWithHeldBackObject(prefix: string): Promise<{ commit: Commit; held: ObjectLocation }> {
    await source.lakefs.uploadObject(repository, 'main', `${prefix}/late.csv`, 'arrives late');
    const key = relativeAddressIn(sourceNamespace(), (await source.lakefs.statObject(repository, 'main', `${prefix}/late.csv`)).physical_address);
    if (!key) throw new Error('the object is not in the namespace');
    const held = { bucket: source.bucket, key: `${sourceNamespace().prefix}/${key}` };
    await holdBack(regionB.s3, inRegionB(held));
    return { commit: await commitObjects(source.lakefs, repository, 'main', `${prefix}/on-time`, 5), held };
  }

  /** The commit as the status shows it in flight, once its verification has named `held` missing. */
  const waitUntilNamedMissing = (commit: Commit, held: ObjectLocation) =>
    waitFor(
      `the status to name ${held.key} missing`,
      async () => {
        const inFlight = (await pipeline.status(repository, mirror)).in_flight.find((c) => c.commit_id === commit.id);
        return inFlight?.missing_objects.some((m) => m.key === held.key) ? inFlight : undefined;
      },
      { timeoutMs: 60_000 },
    );

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-pause');
    await commitObjects(source.lakefs, repository, 'main', 'base', 10);
    const created = await call('', 'POST', {
      name: `${repository}-m`,
      region: 'region-b',
      storage_namespace: pipeline.mirrorNamespace(repository),
      max_lag_seconds: MAX_LAG_SECONDS,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ max_lag_seconds: MAX_LAG_SECONDS, paused: false, paused_at: null });
    mirror = created.body.id as string;
    await waitUntilMirrored(pipeline, repository, mirror);
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('answers 409 with the lag while a held-back object keeps main behind longer than max_lag_seconds, 200 once it arrives', async () => {
    const previousHead = await mirrorHead(regionB.lakefs, mirror, 'main');
    const fresh = await freshness();
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ branch: 'main', stale: false, stale_reason: null, lag_commits: 0, max_lag_seconds: MAX_LAG_SECONDS });

    const { commit, held } = await commitWithHeldBackObject('stale');
    const stale = await waitFor(
      'main to turn stale',
      async () => {
        const answer = await freshness();
        return answer.status === 409 ? answer : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(stale.body).toMatchObject({ stale: true, stale_reason: 'lag', lag_commits: 1, source_head: commit.id, mirrored_head: previousHead });
    expect(stale.body.lag_seconds).toBeGreaterThan(MAX_LAG_SECONDS);
    expect(stale.body.message).toContain(`branch "main" of mirror "${mirror}" is stale: 1 source commit(s) not on the mirror`);
    const status = await pipeline.status(repository, mirror);
    expect(status.max_lag_seconds).toBe(MAX_LAG_SECONDS);
    expect(status.branches.find((b) => b.branch === 'main')).toMatchObject({ stale: true, stale_reason: 'lag' });
    expect(await metrics()).toContain(`lakemirror_branch_stale{mirror="${mirror}",branch="main"} 1`);

    await release(source.s3, held, regionB.s3, inRegionB(held));
    await waitFor('the mirror branch to move once the object arrived', async () => (await mirrorHead(regionB.lakefs, mirror, 'main')) === commit.id, {
      timeoutMs: 60_000,
    });
    const caughtUp = await freshness();
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.body).toMatchObject({ stale: false, lag_commits: 0, lag_seconds: 0, mirrored_head: commit.id });
    expect(await metrics()).toContain(`lakemirror_branch_stale{mirror="${mirror}",branch="main"} 0`);
  });

  it('never moves a paused mirror while its source commits, verifies its commit in flight meanwhile, and catches up on resume', async () => {
    const previousHead = await mirrorHead(regionB.lakefs, mirror, 'main');
    const { commit: inFlight, held } = await commitWithHeldBackObject('paused');
    await waitUntilNamedMissing(inFlight, held);

    const paused = await call(`/${mirror}/pause`, 'POST');
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id: mirror, paused: true });
    // A scan already under way when the pause answered may still finish reading the source (it writes nothing to the mirror).
    await sleep(1_000);
    const later = await commitObjects(source.lakefs, repository, 'main', 'while-paused', 5);
    await source.lakefs.createBranch(repository, 'feature', 'main');
    await release(source.s3, held, regionB.s3, inRegionB(held));

    // Its verification goes on: the commit is verified, and waits for the resume to be recorded.
    await waitFor(
      'the commit in flight to be verified while paused',
      async () => (await pipeline.status(repository, mirror)).in_flight.find((c) => c.commit_id === inFlight.id)?.state === 'verified',
      { timeoutMs: 60_000 },
    );
    // Many scan intervals and promotion chances later, nothing moved and the source was not read.
    await sleep(4_000);
    expect(await mirrorHead(regionB.lakefs, mirror, 'main')).toBe(previousHead);
    expect(await mirrorHead(regionB.lakefs, mirror, 'feature')).toBeUndefined();
    await expect(regionB.lakefs.getCommit(mirror, inFlight.id)).rejects.toThrow(LakefsNotFoundError);
    const status: MirrorStatus = await pipeline.status(repository, mirror);
    expect(status).toMatchObject({ paused: true, paused_at: paused.body.paused_at });
    expect(status.branches.map((b) => [b.branch, b.source_head])).toEqual([['main', inFlight.id]]);
    expect(status.in_flight.map((c) => c.commit_id)).not.toContain(later.id);
    expect(await metrics()).toContain(`lakemirror_mirror_paused{mirror="${mirror}"} 1`);
    // Its verified commit waits longer than max_lag_seconds: main is stale, whatever the pause hides.
    const stale = await freshness();
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ stale: true, stale_reason: 'lag', paused: true, lag_commits: 1, source_head: inFlight.id });

    const resumed = await call(`/${mirror}/resume`, 'POST');
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ paused: false, paused_at: null });
    await waitUntilMirrored(pipeline, repository, mirror, 60_000);
    expect(await mirrorHead(regionB.lakefs, mirror, 'main')).toBe(later.id);
    expect((await freshness()).status).toBe(200);
    expect(await metrics()).toContain(`lakemirror_mirror_paused{mirror="${mirror}"} 0`);
    const audited = await pipeline.db.query(`SELECT action, target, result FROM audit_log WHERE action IN ('mirror.pause', 'mirror.resume') ORDER BY id`);
    expect(audited).toEqual([
      { action: 'mirror.pause', target: `${repository}/${mirror}`, result: 'success' },
      { action: 'mirror.resume', target: `${repository}/${mirror}`, result: 'success' },
    ]);
  });

  it('answers 404 naming the mirror for a pause or resume of a deleted or unknown mirror', async () => {
    const deleted = `${repository}-d`;
    const created = await call('', 'POST', { name: deleted, region: 'region-b', storage_namespace: `${pipeline.mirrorNamespace(repository)}-d` });
    expect(created.status).toBe(201);
    expect((await call(`/${deleted}`, 'DELETE')).status).toBe(204);
    for (const id of [deleted, 'no-such-mirror']) {
      for (const action of ['pause', 'resume']) {
        const answer = await call(`/${id}/${action}`, 'POST');
        expect([id, action, answer.status, answer.body.message]).toEqual([id, action, 404, `mirror "${id}" of repository "${repository}" not found`]);
      }
      expect((await call(`/${id}/branches/main/freshness`)).status).toBe(404);
    }
    const refused = await pipeline.db.query(`SELECT target FROM audit_log WHERE action = 'mirror.pause' AND result = 'failure' ORDER BY id`);
    expect(refused).toEqual([{ target: `${repository}/${deleted}` }, { target: `${repository}/no-such-mirror` }]);
  });
});
