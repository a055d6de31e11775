import { type Commit, LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { ObjectLocation, parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { QueueName } from '@lakemirror/queues';
import { holdBack, release } from '@lakemirror/test-environment';
import { waitFor } from '@lakemirror/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

// Tags follow the source once their commit is recorded on the mirror, never before: a tag whose
// commit waits for a held-back object is absent from the mirror (or stays on its old commit when
// it moved) and listed as waiting in the status, until the object arrives.
describe('mirroring tags', () => {
  const pipeline = new PipelineUnderTest();
  const { source, regionB } = pipeline.env;
  let repository: string;
  let mirror: string;

  const mirrorsUrl = (repo: string) => `${pipeline.api.url}/service/replication/v1/repositories/${repo}/mirrors`;
  const inRegionB = (location: ObjectLocation): ObjectLocation => ({ bucket: regionB.bucket, key: location.key });

  /** The commit a mirror's tag points at, or undefined while the mirror has no such tag. */
  async function mirrorTag(mirrorId: string, tag: string): Promise<string | undefined> {
    try {
      return (await regionB.lakefs.getTag(mirrorId, tag)).commit_id;
    } catch (error) {
      if (error instanceof LakefsNotFoundError) return undefined;
      throw error;
    }
  }

  /** Every tag the mirror shows names a commit the mirror holds. */
  async function expectEveryMirrorTagRecorded(mirrorId: string): Promise<void> {
    for (const tag of await collect(regionB.lakefs.listTags(mirrorId))) {
      await expect(regionB.lakefs.getCommit(mirrorId, tag.commit_id)).resolves.toMatchObject({ id: tag.commit_id });
    }
  }

  /** Waits for the mirror's tag to reach `commit` (undefined: to be gone), checking the invariant at every look. */
  async function waitForMirrorTag(tag: string, commit: string | undefined): Promise<void> {
    await waitFor(`mirror tag ${tag} at ${commit ?? '(deleted)'}`, async () => {
      await expectEveryMirrorTagRecorded(mirror);
      return (await mirrorTag(mirror, tag)) === commit;
    });
  }

  /**
   * Waits for the status to list no tag waiting. The promoter sets the mirror's tag in lakeFS, then
   * records it as applied: for a moment the status still lists a tag the mirror already shows.
   */
  async function waitForNoTagsWaiting(repo: string, mirrorId: string): Promise<void> {
    await waitFor(`the status of ${mirrorId} to list no tag waiting`, async () => ((await pipeline.status(repo, mirrorId)).tags_waiting ?? []).length === 0);
  }

  /** Runs `change` on the source with no scan running, so that the scanner sees only its end state. */
  async function withoutScans(change: () => Promise<void>): Promise<void> {
    const scans = pipeline.queue(QueueName.MirrorScan);
    await scans.pause();
    try {
      await waitFor('running scans to finish', async () => (await scans.getActiveCount()) === 0);
      await change();
    } finally {
      await scans.resume();
    }
  }

  /** Uploads an object to `branch` and holds it back from region B; commits it with a few more. */
  async function commitWithHeldBackObject(branch: string, prefix: string): Promise<{ commit: Commit; held: ObjectLocation }> {
    const path = `${prefix}/late.csv`;
    await source.lakefs.uploadObject(repository, branch, path, `${prefix} arrives late`);
    const namespace = parseStorageNamespace(`s3://${source.bucket}/mirrors/${repository}`);
    const key = relativeAddressIn(namespace, (await source.lakefs.statObject(repository, branch, path)).physical_address);
    if (!key) throw new Error(`${path} is not inside the namespace of ${repository}`);
    const held = { bucket: source.bucket, key: `${namespace.prefix}/${key}` };
    await holdBack(regionB.s3, inRegionB(held));
    const commit = await commitObjects(source.lakefs, repository, branch, prefix, 5);
    return { commit, held };
  }

  /** The status lists `tag` waiting for `commit`, and the mirror keeps the tag off that commit for several scans. */
  async function expectWaiting(tag: string, commit: Commit, onMirror: string | undefined): Promise<void> {
    const waiting = await waitFor(`the status to list tag ${tag} waiting for ${commit.id}`, async () => {
      const status = await pipeline.status(repository, mirror);
      return status.tags_waiting?.find((t) => t.tag === tag && t.commit_id === commit.id);
    });
    expect(Date.parse(waiting.since)).not.toBeNaN();
    await sleep(3_000);
    expect(await mirrorTag(mirror, tag)).toBe(onMirror);
    await expect(regionB.lakefs.getCommit(mirror, commit.id)).rejects.toThrow(LakefsNotFoundError);
    await expectEveryMirrorTagRecorded(mirror);
  }

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-tags');
    await commitObjects(source.lakefs, repository, 'main', 'base', 10);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
  }, 240_000);
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('shows mirror_tags on the mirror, true unless asked otherwise', async () => {
    const response = await fetch(`${mirrorsUrl(repository)}/${mirror}`, { headers: pipeline.auth });
    expect(await response.json()).toMatchObject({ id: mirror, mirror_tags: true });
  });

  it('refuses a mirror_tags that is not a boolean, naming the field', async () => {
    const response = await fetch(mirrorsUrl(repository), {
      method: 'POST',
      headers: { ...pipeline.auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `${repository}-x`,
        region: 'region-b',
        storage_namespace: `s3://${regionB.bucket}/mirrors/x-${repository}`,
        mirror_tags: 'yes',
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: { mirror_tags: 'must be true or false' } });
  });

  it('tags the mirror once a tag of a recorded commit appears on the source', async () => {
    const head = (await source.lakefs.getBranch(repository, 'main')).commit_id;
    await source.lakefs.createTag(repository, 'base', head);
    await waitForMirrorTag('base', head);
  });

  it('holds a tag whose commit (on no branch) misses an object until the object arrives', async () => {
    let tagged!: { commit: Commit; held: ObjectLocation };
    // The branch is gone before any scan sees it: only the tag leads the scanner to the commit.
    await withoutScans(async () => {
      await source.lakefs.createBranch(repository, 'release', 'main');
      tagged = await commitWithHeldBackObject('release', 'rc1');
      await source.lakefs.createTag(repository, 'v1', tagged.commit.id);
      await source.lakefs.deleteBranch(repository, 'release');
    });
    await expectWaiting('v1', tagged.commit, undefined);

    await release(source.s3, tagged.held, regionB.s3, inRegionB(tagged.held));
    await waitForMirrorTag('v1', tagged.commit.id);
    await expect(regionB.lakefs.getCommit(mirror, tagged.commit.id)).resolves.toMatchObject({ id: tagged.commit.id });
    await waitForNoTagsWaiting(repository, mirror);
  }, 180_000);

  it('moves the mirror tag when the source tag moves, only once the new commit is recorded', async () => {
    const before = await mirrorTag(mirror, 'v1');
    expect(before).toBeDefined();
    let moved!: { commit: Commit; held: ObjectLocation };
    await withoutScans(async () => {
      moved = await commitWithHeldBackObject('main', 'rc2');
      await source.lakefs.deleteTag(repository, 'v1');
      await source.lakefs.createTag(repository, 'v1', moved.commit.id);
    });
    // Until the new commit is recorded, the mirror's tag stays on the old one, which the mirror holds.
    await expectWaiting('v1', moved.commit, before);

    await release(source.s3, moved.held, regionB.s3, inRegionB(moved.held));
    await waitForMirrorTag('v1', moved.commit.id);
    await waitUntilMirrored(pipeline, repository, mirror);
    await waitForNoTagsWaiting(repository, mirror);
  }, 180_000);

  it('deletes the mirror tag when the source tag is deleted', async () => {
    await source.lakefs.deleteTag(repository, 'v1');
    await waitForMirrorTag('v1', undefined);
    expect(await mirrorTag(mirror, 'base')).toBeDefined();
    const [{ count }] = await pipeline.db.query(`SELECT count(*)::int AS count FROM mirror_tags WHERE mirror_id = $1 AND tag = 'v1'`, [mirror]);
    expect(count).toBe(0);
  });

  describe('a mirror with mirror_tags false', () => {
    let other: string;
    let otherMirror: string;

    afterAll(async () => {
      if (other) await pipeline.deleteRepositories(other, otherMirror);
    });

    it('mirrors branches but no tag', async () => {
      other = await pipeline.createSourceRepository('e2e-notags');
      const first = await commitObjects(source.lakefs, other, 'main', 'base', 5);
      await source.lakefs.createTag(other, 'before', first.id);
      otherMirror = `${other}-m`;
      const response = await fetch(mirrorsUrl(other), {
        method: 'POST',
        headers: { ...pipeline.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: otherMirror, region: 'region-b', storage_namespace: pipeline.mirrorNamespace(other), mirror_tags: false }),
      });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ id: otherMirror, mirror_tags: false });
      await waitUntilMirrored(pipeline, other, otherMirror);
      // A tag and a commit after the mirror began: once the branch moved, a scan has seen both.
      const second = await commitObjects(source.lakefs, other, 'main', 'more', 5);
      await source.lakefs.createTag(other, 'after', second.id);
      await source.lakefs.commit(other, 'main', { message: 'after the tag', allow_empty: true });
      await waitUntilMirrored(pipeline, other, otherMirror);

      expect(await collect(regionB.lakefs.listTags(otherMirror))).toEqual([]);
      expect((await pipeline.status(other, otherMirror)).tags_waiting).toEqual([]);
      const [{ count }] = await pipeline.db.query(`SELECT count(*)::int AS count FROM mirror_tags WHERE mirror_id = $1`, [otherMirror]);
      expect(count).toBe(0);
    }, 180_000);

    it('starts following the tags once PATCHed to mirror_tags true', async () => {
      const response = await fetch(`${mirrorsUrl(other)}/${otherMirror}`, {
        method: 'PATCH',
        headers: { ...pipeline.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ mirror_tags: true }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: otherMirror, mirror_tags: true });
      const wanted = (await collect(source.lakefs.listTags(other))).map((t) => `${t.id}=${t.commit_id}`);
      expect(wanted).toHaveLength(2);
      await waitFor('the mirror to show the source tags', async () => {
        const got = (await collect(regionB.lakefs.listTags(otherMirror))).map((t) => `${t.id}=${t.commit_id}`);
        return JSON.stringify(got) === JSON.stringify(wanted);
      });
      const [audit] = await pipeline.db.query(`SELECT result, detail FROM audit_log WHERE action = 'mirror.update' AND target = $1`, [
        `${other}/${otherMirror}`,
      ]);
      expect(audit).toMatchObject({ result: 'success', detail: { mirror_tags: true } });
    });
  });

  it('never set a tag on the mirror before its commit was recorded there (the promoter log)', () => {
    const events: { msg: string; mirror: string; commit: string }[] = pipeline
      .allOutput()
      .flatMap(({ output }) => output.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'commit recorded on the mirror' || entry.msg === 'mirror tag set');
    const recorded = new Set<string>();
    let tagsSet = 0;
    for (const { msg, mirror: mirrorId, commit } of events) {
      if (msg === 'commit recorded on the mirror') recorded.add(`${mirrorId}/${commit}`);
      else {
        // Either recorded earlier in this log, or long before (the initial mirroring of a branch also logs it).
        expect(recorded.has(`${mirrorId}/${commit}`)).toBe(true);
        tagsSet++;
      }
    }
    expect(tagsSet).toBeGreaterThanOrEqual(5);
  });
});
