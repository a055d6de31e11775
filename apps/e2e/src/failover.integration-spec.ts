import { LakefsClient, LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { holdBack } from '@lakemirror/test-environment';
import { waitFor } from '@lakemirror/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

/** The API's answer to a promote request: the promotion, or an error. */
interface PromoteAnswer {
  message?: string;
  errors?: Record<string, string>;
  state?: string;
  step?: string;
  completed_at?: string;
  branches?: Record<string, string>;
  tags?: Record<string, string>;
  discarded?: { verified_commits: string[]; branches: { branch: string; mirrored_head: string | null; verified_head: string }[] };
}

// Failover: a mirror promoted to a writable repository of its region keeps every branch at its
// mirrored commit, every tag, every object and the source's commit IDs; it then takes uploads and
// commits, and lakemirror never advances it again. A promotion interrupted between two steps
// resumes when asked again, and loses nothing.
describe('failover: promoting a mirror to a writable repository', () => {
  const pipeline = new PipelineUnderTest();
  const { source, regionB } = pipeline.env;
  const repositories: { repository: string; mirror: string }[] = [];

  const mirrorUrl = (repository: string, mirror: string, ...rest: string[]) =>
    [`${pipeline.api.url}/service/replication/v1/repositories`, repository, 'mirrors', mirror, ...rest].join('/');

  async function promote(repository: string, mirror: string, body: unknown): Promise<{ status: number; body: PromoteAnswer }> {
    const response = await fetch(mirrorUrl(repository, mirror, 'promote'), {
      method: 'POST',
      headers: { ...pipeline.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as PromoteAnswer };
  }

  /** A source with three branches, several commits and a tag, mirrored; the tag is on the mirror (mirrored, or set by the test). */
  async function mirroredRepository(prefix: string): Promise<{ repository: string; mirror: string }> {
    const repository = await pipeline.createSourceRepository(prefix);
    const first = await commitObjects(source.lakefs, repository, 'main', 'base', 12);
    await commitObjects(source.lakefs, repository, 'main', 'second', 6);
    await source.lakefs.createBranch(repository, 'dev', 'main');
    await commitObjects(source.lakefs, repository, 'dev', 'dev-work', 5);
    await source.lakefs.createBranch(repository, 'feature', first.id);
    await commitObjects(source.lakefs, repository, 'feature', 'feature-work', 4);
    await commitObjects(source.lakefs, repository, 'feature', 'feature-more', 3);
    await source.lakefs.createTag(repository, 'v1', first.id);
    const mirror = await pipeline.createMirror(repository);
    repositories.push({ repository, mirror });
    await waitUntilMirrored(pipeline, repository, mirror);
    // Tags are mirrored once their commit is recorded; where the tags feature is off, the test sets it as lakemirror would.
    const mirrored = await waitFor('tag v1 on the mirror', async () => (await regionB.lakefs.getTag(mirror, 'v1')).commit_id === first.id, {
      timeoutMs: 30_000,
    }).catch(() => false);
    if (!mirrored) await regionB.lakefs.createTag(mirror, 'v1', first.id, { force: true });
    return { repository, mirror };
  }

  async function branchHeads(lakefs: LakefsClient, repository: string): Promise<Record<string, string>> {
    return Object.fromEntries((await collect(lakefs.listBranches(repository))).map((b) => [b.id, b.commit_id]));
  }

  /** Every commit of the branch's log (IDs and what they are made of), newest first. */
  async function logOf(lakefs: LakefsClient, repository: string, ref: string) {
    return (await collect(lakefs.log(repository, ref, { amount: 1000 }))).map((c) => ({
      id: c.id,
      parents: c.parents,
      meta_range_id: c.meta_range_id,
      message: c.message,
      creation_date: c.creation_date,
      generation: c.generation,
    }));
  }

  async function listingOf(lakefs: LakefsClient, repository: string, ref: string) {
    return (await collect(lakefs.listObjects(repository, ref, { amount: 1000 }))).map((o) => ({ path: o.path, checksum: o.checksum, size: o.size_bytes }));
  }

  /** Nothing lost: every branch of `heads` has the source's log and objects, and the objects' bytes read back. */
  async function expectSameAsSource(repository: string, mirror: string, heads: Record<string, string>): Promise<void> {
    for (const [branch, head] of Object.entries(heads)) {
      expect(await logOf(regionB.lakefs, mirror, branch)).toEqual(await logOf(source.lakefs, repository, head));
      expect(await listingOf(regionB.lakefs, mirror, branch)).toEqual(await listingOf(source.lakefs, repository, head));
    }
    for (const object of await listingOf(regionB.lakefs, mirror, 'main')) {
      expect((await regionB.lakefs.getObject(mirror, 'main', object.path)).toString()).toBe(
        (await source.lakefs.getObject(repository, 'main', object.path)).toString(),
      );
    }
  }

  async function mirrorState(mirror: string): Promise<string> {
    const [row] = await pipeline.db.query(`SELECT state FROM mirrors WHERE id = $1`, [mirror]);
    return row.state;
  }

  /** Uploads and commits on the promoted repository: it is writable now. */
  async function expectWritable(mirror: string, previousHead: string): Promise<string> {
    expect((await regionB.lakefs.getRepository(mirror)).read_only).toBe(false);
    await regionB.lakefs.uploadObject(mirror, 'main', 'after-failover/first.txt', 'written in the promoted repository');
    const commit = await regionB.lakefs.commit(mirror, 'main', { message: 'first commit after the failover' });
    expect(commit.parents).toEqual([previousHead]);
    expect((await regionB.lakefs.getObject(mirror, commit.id, 'after-failover/first.txt')).toString()).toBe('written in the promoted repository');
    return commit.id;
  }

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
  });
  afterAll(async () => {
    await pipeline.stop();
    for (const { repository, mirror } of repositories) await pipeline.deleteRepositories(repository, mirror);
  });

  it('promotes: same branches, commit IDs, tags and objects; writable; never advanced by lakemirror again', async () => {
    const { repository, mirror } = await mirroredRepository('e2e-failover');
    const heads = await branchHeads(source.lakefs, repository);
    expect(Object.keys(heads).sort()).toEqual(['dev', 'feature', 'main']);

    const refused = await promote(repository, mirror, {});
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.confirm).toContain(mirror);
    expect((await promote(repository, mirror, { confirm: 'another-mirror' })).body.errors).toHaveProperty('confirm');
    expect(await mirrorState(mirror)).toBe('active');

    const promoted = await promote(repository, mirror, { confirm: mirror });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ mirror, state: 'promoted', step: 'done', forced: false, branches: heads, last_error: null });
    expect(promoted.body.tags).toEqual({ v1: (await source.lakefs.getTag(repository, 'v1')).commit_id });

    expect(await branchHeads(regionB.lakefs, mirror)).toEqual(heads);
    expect((await regionB.lakefs.getTag(mirror, 'v1')).commit_id).toBe((await source.lakefs.getTag(repository, 'v1')).commit_id);
    await expectSameAsSource(repository, mirror, heads);
    const metadata = await regionB.lakefs.getRepositoryMetadata(mirror);
    expect(metadata['lakemirror.promoted_from']).toBe(`${repository}/${mirror}`);
    expect(metadata['lakemirror.mirror']).toBeUndefined();

    const ownCommit = await expectWritable(mirror, heads.main);

    // The source goes on (as if its region came back): lakemirror leaves the promoted repository alone.
    await commitObjects(source.lakefs, repository, 'main', 'after-promotion', 3);
    await source.lakefs.createBranch(repository, 'late', 'main');
    await commitObjects(source.lakefs, repository, 'dev', 'after-promotion', 2);
    await fetch(mirrorUrl(repository, mirror, 'scan'), { method: 'POST', headers: pipeline.auth });
    await sleep(5_000); // many scan intervals of 300 ms
    expect(await branchHeads(regionB.lakefs, mirror)).toEqual({ ...heads, main: ownCommit });
    const [{ discovered }] = await pipeline.db.query(`SELECT count(*)::int AS discovered FROM mirror_commits WHERE mirror_id = $1 AND discovered_at > $2`, [
      mirror,
      new Date(promoted.body.completed_at as string),
    ]);
    expect(discovered).toBe(0);
    expect(await mirrorState(mirror)).toBe('promoted');

    // Asking again changes nothing; the promotion can be read back.
    const again = await promote(repository, mirror, { confirm: mirror });
    expect(again).toMatchObject({ status: 200, body: { step: 'done', completed_at: promoted.body.completed_at } });
    const read = await fetch(mirrorUrl(repository, mirror, 'promotion'), { headers: pipeline.auth });
    expect(await read.json()).toMatchObject({ mirror, state: 'promoted', branches: heads });

    const audit = await pipeline.db.query(`SELECT result, detail FROM audit_log WHERE action = 'mirror.promote' AND target = $1 ORDER BY id`, [
      `${repository}/${mirror}`,
    ]);
    expect(audit.map((a: { result: string }) => a.result)).toEqual(['failure', 'failure', 'success', 'success']);
    expect(audit[0].detail.status).toBe(400);

    // Deleting the mirror now forgets it in lakemirror; the repository is the region's own and stays.
    const deleted = await fetch(mirrorUrl(repository, mirror), { method: 'DELETE', headers: pipeline.auth });
    expect(deleted.status).toBe(204);
    expect((await regionB.lakefs.getBranch(mirror, 'main')).commit_id).toBe(ownCommit);
  });

  it('refuses (409) while verified work has not reached the mirror; with force, promotes at the last mirrored commits', async () => {
    const { repository, mirror } = await mirroredRepository('e2e-failover-force');
    const mirrored = await branchHeads(regionB.lakefs, mirror);
    // A commit whose object never reaches region B, then one without that object: the second is verified, but waits for its parent.
    await source.lakefs.uploadObject(repository, 'main', 'held/late.csv', 'never arrives');
    const address = (await source.lakefs.statObject(repository, 'main', 'held/late.csv')).physical_address;
    const namespace = parseStorageNamespace(`s3://${source.bucket}/mirrors/${repository}`);
    await holdBack(regionB.s3, { bucket: regionB.bucket, key: `${namespace.prefix}/${relativeAddressIn(namespace, address)}` });
    const held = await source.lakefs.commit(repository, 'main', { message: 'with a held-back object' });
    await source.lakefs.deleteObject(repository, 'main', 'held/late.csv');
    await source.lakefs.uploadObject(repository, 'main', 'on-time.csv', 'arrives');
    const verified = await source.lakefs.commit(repository, 'main', { message: 'without it' });
    await waitFor(
      `commit ${verified.id} to be verified and ${held.id} not`,
      async () => {
        const rows: { commit_id: string; state: string }[] = await pipeline.db.query(`SELECT commit_id, state FROM mirror_commits WHERE mirror_id = $1`, [
          mirror,
        ]);
        const state = (id: string) => rows.find((r) => r.commit_id === id)?.state;
        return state(verified.id) === 'verified' && state(held.id) !== 'recorded';
      },
      { timeoutMs: 60_000 },
    );

    const refused = await promote(repository, mirror, { confirm: mirror });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(verified.id);
    expect(refused.body.errors).toHaveProperty('force');
    expect(await mirrorState(mirror)).toBe('active');

    const forced = await promote(repository, mirror, { confirm: mirror, force: true });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ state: 'promoted', forced: true, branches: mirrored });
    expect(forced.body.discarded?.verified_commits).toContain(verified.id);
    expect(forced.body.discarded?.branches).toContainEqual({ branch: 'main', mirrored_head: mirrored.main, verified_head: verified.id });
    expect(await branchHeads(regionB.lakefs, mirror)).toEqual(mirrored);
    await expectSameAsSource(repository, mirror, mirrored);
    await expect(regionB.lakefs.getCommit(mirror, verified.id)).rejects.toThrow(LakefsNotFoundError);
    await expectWritable(mirror, mirrored.main);
  });

  it('resumes a promotion interrupted after the mirror repository was deleted, during the restore, or with a restore that stopped halfway', async () => {
    for (const interruption of ['after the delete', 'during the restore', 'with a partial restore'] as const) {
      const { repository, mirror } = await mirroredRepository('e2e-failover-crash');
      const heads = await branchHeads(regionB.lakefs, mirror);
      const [repositoryRecord, metadata] = await Promise.all([regionB.lakefs.getRepository(mirror), regionB.lakefs.getRepositoryMetadata(mirror)]);
      // What a promotion does up to its crash, step by step as lakemirror would, recorded as it records it.
      await pipeline.db.query(`UPDATE mirrors SET state = 'promoting' WHERE id = $1`, [mirror]);
      const taskId = await regionB.lakefs.submitRefsDump(mirror);
      const dump = await waitFor('the refs dump', async () => (await regionB.lakefs.refsDumpStatus(mirror, taskId)).refs);
      const tags = Object.fromEntries((await collect(regionB.lakefs.listTags(mirror))).map((t) => [t.id, t.commit_id]));
      await pipeline.db.query(
        `INSERT INTO mirror_promotions (mirror_id, step, forced, requested_by, repository, branches, tags, refs_dump)
         VALUES ($1, $2, false, 'admin', $3, $4, $5, $6)`,
        [
          mirror,
          interruption === 'after the delete' ? 'dumped' : 'created',
          { storageNamespace: repositoryRecord.storage_namespace, defaultBranch: repositoryRecord.default_branch, metadata },
          heads,
          tags,
          { commits: dump.commits_meta_range_id, branches: dump.branches_meta_range_id, tags: dump.tags_meta_range_id },
        ],
      );
      await regionB.lakefs.deleteRepository(mirror, { force: true });
      if (interruption !== 'after the delete') {
        // Created and a restore started, then the crash: its task ID was never recorded.
        await waitFor('lakeFS to forget the deleted mirror', async () => {
          try {
            await regionB.lakefs.createRepository(
              { name: mirror, storage_namespace: repositoryRecord.storage_namespace, default_branch: repositoryRecord.default_branch, read_only: false },
              { bare: true },
            );
            return true;
          } catch {
            return false;
          }
        });
        await waitFor('the new repository to show writable', async () => (await regionB.lakefs.getRepository(mirror)).read_only === false);
        const restore = await regionB.lakefs.submitRefsRestore(mirror, dump);
        if (interruption === 'with a partial restore') {
          // A restore that ended short of its branches and tags: the promotion starts it over in a new repository.
          await waitFor('the restore to end', async () => (await regionB.lakefs.refsRestoreStatus(mirror, restore)).done);
          await regionB.lakefs.deleteBranch(mirror, 'dev');
          await regionB.lakefs.deleteTag(mirror, 'v1');
        }
      }

      // Half promoted: deleting the mirror is refused, the repository being turned writable stays.
      expect((await fetch(mirrorUrl(repository, mirror), { method: 'DELETE', headers: pipeline.auth })).status).toBe(409);
      const resumed = await promote(repository, mirror, { confirm: mirror });
      expect(resumed.status).toBe(200);
      expect(resumed.body).toMatchObject({ state: 'promoted', step: 'done', branches: heads, tags });
      const [{ attempts }] = await pipeline.db.query(`SELECT attempts FROM mirror_promotions WHERE mirror_id = $1`, [mirror]);
      expect(attempts).toBe(interruption === 'with a partial restore' ? 1 : 0);
      expect(await branchHeads(regionB.lakefs, mirror)).toEqual(heads);
      await expectSameAsSource(repository, mirror, heads);
      await expectWritable(mirror, heads.main);
    }
  });
});
