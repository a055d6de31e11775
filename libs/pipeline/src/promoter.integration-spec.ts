import { EnvReader, loadConfig } from '@lakemirror/config';
import { Commit, LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { PipelineUnderTest, createPipeline, registerMirror } from './pipeline.fixture';
import { IncompleteVerificationError } from './pipeline.errors';
import { readPipelineSettings } from './pipeline-settings';

// Invariants 1 and 4 at the promoter: it records commits parents first with the source's exact
// IDs, moves a branch only forward through observed heads (following a source reset), a late or
// repeated job changes nothing, and a commit whose checks are not all done is never promoted.
describe('promoter', () => {
  const env = testEnvironment();
  const repository = uniqueName('promote-src');
  const mirror = `${repository}-m`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;
  let second: PipelineUnderTest;
  const history: Commit[] = [];

  const head = async () => {
    try {
      return (await env.regionB.lakefs.getBranch(mirror, 'main')).commit_id;
    } catch (error) {
      if (error instanceof LakefsNotFoundError) return undefined;
      throw error;
    }
  };
  /** What the scanner and verifier would have done: the commit known and fully checked. */
  const verified = async (commit: Commit) => {
    await pipeline.commits.addDiscovered(mirror, [commit]);
    await schema.db.query(`UPDATE mirror_commits SET state = 'verifying' WHERE mirror_id = $1 AND commit_id = $2`, [mirror, commit.id]);
  };

  beforeAll(async () => {
    schema = await migratedSchema('lm_promote');
    const config = { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') };
    const settings = readPipelineSettings(new EnvReader({}));
    pipeline = await createPipeline(config, settings);
    second = await createPipeline(config, settings);
    await env.source.lakefs.createRepository({
      name: repository,
      storage_namespace: `s3://${env.source.bucket}/mirrors/${repository}`,
      default_branch: 'main',
    });
    for (let i = 0; i < 3; i++) {
      await env.source.lakefs.uploadObject(repository, 'main', `file-${i}`, `content ${i}`);
      history.push(await env.source.lakefs.commit(repository, 'main', { message: `commit ${i}` }));
    }
    history.unshift(await env.source.lakefs.getCommit(repository, history[0].parents[0]));
    await registerMirror(schema.db, env.regionB.lakefs, {
      id: mirror,
      sourceRepository: repository,
      storageNamespace: `s3://${env.regionB.bucket}/mirrors/${repository}`,
    });
  });
  afterAll(async () => {
    await pipeline?.close();
    await second?.close();
    await schema?.drop();
    await env.source.lakefs.deleteRepository(repository).catch(() => undefined);
    await env.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
  });

  it('records verified commits parents first with their source IDs, and moves the branch to the newest observed head', async () => {
    const [root, c0, c1] = history;
    await pipeline.observe(mirror, 'main', c0.id);
    await pipeline.observe(mirror, 'main', c1.id);
    // Verified child first: it must wait for its parents.
    await verified(c1);
    await pipeline.promoter.commitVerified(mirror, c1.id);
    expect(await head()).toBeUndefined();
    await verified(root);
    await verified(c0);
    await pipeline.promoter.commitVerified(mirror, root.id);
    await pipeline.promoter.commitVerified(mirror, c0.id);
    expect(await head()).toBe(c1.id);
    expect((await collect(env.regionB.lakefs.log(mirror, 'main'))).map((c) => c.id).sort()).toEqual([root.id, c0.id, c1.id].sort());
    expect(await env.regionB.lakefs.getCommit(mirror, c1.id)).toEqual(c1);
  });

  it('does nothing on a late or repeated job, from any process: the branch never goes back', async () => {
    const [root, c0, c1] = history;
    await Promise.all([
      pipeline.promoter.commitVerified(mirror, c0.id),
      second.promoter.commitVerified(mirror, root.id),
      second.promoter.promoteMirror(mirror),
    ]);
    expect(await head()).toBe(c1.id);
    const [row] = await pipeline.branches.all(mirror);
    expect(row).toMatchObject({ mirroredHead: c1.id, mirroredSequence: 2 });
  });

  it('never promotes a commit whose checks are not all done', async () => {
    const c2 = history[3];
    await verified(c2);
    await schema.db.query(`INSERT INTO commit_chunks (mirror_id, commit_id, range_id, first_entry, end_entry, objects) VALUES ($1, $2, 'r', 0, 10, 10)`, [
      mirror,
      c2.id,
    ]);
    await pipeline.observe(mirror, 'main', c2.id);
    await expect(pipeline.promoter.commitVerified(mirror, c2.id)).rejects.toThrow(IncompleteVerificationError);
    await pipeline.promoter.promoteMirror(mirror);
    expect(await head()).toBe(history[2].id);
    await expect(env.regionB.lakefs.getCommit(mirror, c2.id)).rejects.toThrow(LakefsNotFoundError);
  });

  it('follows a source reset to an older commit, because it was observed later', async () => {
    const c0 = history[1];
    await pipeline.observe(mirror, 'main', c0.id);
    await pipeline.promoter.promoteMirror(mirror);
    expect(await head()).toBe(c0.id);
  });
});
