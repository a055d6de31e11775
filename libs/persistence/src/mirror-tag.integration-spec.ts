import { createTestSchema } from '@lakemirror/testing';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';
import { MirrorEntity } from './entities/mirror.entity';
import { MirrorCommitRepository } from './repositories/mirror-commit.repository';
import { MirrorTagRepository } from './repositories/mirror-tag.repository';

describe('mirror tags on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let db: DataSource;
  let tags: MirrorTagRepository;
  const mirrorId = 'sales-eu';

  const commit = (id: string) => ({
    id,
    parents: [],
    committer: 'alice',
    message: id,
    creation_date: 1,
    meta_range_id: '',
    metadata: {},
    generation: 1,
    version: 1,
  });

  beforeAll(async () => {
    schema = await createTestSchema(process.env.LAKEMIRROR_DATABASE_URL as string, 'lm_tags');
    db = await createDataSource(process.env.LAKEMIRROR_DATABASE_URL as string, { schema: schema.schema }).initialize();
    await db.runMigrations();
    await db
      .getRepository(MirrorEntity)
      .insert({ id: mirrorId, sourceRepository: 'sales', region: 'region-b', storageNamespace: 's3://b/sales', state: 'active', createdBy: 'alice' });
    tags = new MirrorTagRepository(db);
  });
  afterAll(async () => {
    await db.destroy();
    await schema.drop();
  });

  it('follows mirror tags by default', async () => {
    expect((await db.getRepository(MirrorEntity).findOneByOrFail({ id: mirrorId })).mirrorTags).toBe(true);
  });

  it('keeps a tag waiting until applied, and a move sends it back to waiting', async () => {
    await tags.observe(mirrorId, 'v1', 'c1');
    expect(await tags.followed(mirrorId)).toEqual(new Map([['v1', 'c1']]));
    expect((await tags.waiting(mirrorId)).map((t) => [t.tag, t.commitId, t.state])).toEqual([['v1', 'c1', 'waiting']]);
    expect(await tags.markApplied(mirrorId, 'v1', 'c1')).toBe(true);
    expect(await tags.unapplied(mirrorId)).toEqual([]);

    await tags.observe(mirrorId, 'v1', 'c2');
    const [moved] = await tags.waiting(mirrorId);
    expect(moved).toMatchObject({ tag: 'v1', commitId: 'c2', state: 'waiting', appliedCommitId: 'c1' });
  });

  it('does not mark applied a tag the source moved or deleted meanwhile', async () => {
    // The promoter set c2 while the scanner had already seen the tag move to c3.
    await tags.observe(mirrorId, 'v1', 'c3');
    expect(await tags.markApplied(mirrorId, 'v1', 'c2')).toBe(false);
    expect((await tags.waiting(mirrorId))[0]).toMatchObject({ commitId: 'c3', appliedCommitId: 'c2' });

    await tags.markDeleting(mirrorId, ['v1']);
    expect(await tags.markApplied(mirrorId, 'v1', 'c3')).toBe(false);
    expect(await tags.followed(mirrorId)).toEqual(new Map());
    expect((await tags.unapplied(mirrorId)).map((t) => t.state)).toEqual(['deleting']);
  });

  it('forgets a deleted tag, unless the source created it again before the mirror tag was deleted', async () => {
    await tags.observe(mirrorId, 'v1', 'c4');
    await tags.forgetDeleted(mirrorId, 'v1');
    expect(await tags.followed(mirrorId)).toEqual(new Map([['v1', 'c4']]));

    await tags.markDeleting(mirrorId, ['v1']);
    await tags.forgetDeleted(mirrorId, 'v1');
    expect(await tags.unapplied(mirrorId)).toEqual([]);
  });

  it('counts as actionable the tags whose commit is recorded and the deleted ones, not those still waiting', async () => {
    const commits = new MirrorCommitRepository(db);
    await commits.addDiscovered(mirrorId, [commit('r1'), commit('u1')]);
    await db.query(`UPDATE mirror_commits SET state = 'recorded' WHERE mirror_id = $1 AND commit_id = 'r1'`, [mirrorId]);
    await tags.observe(mirrorId, 'waits', 'u1');
    await tags.observe(mirrorId, 'unknown', 'x1');
    expect(await tags.actionable(mirrorId)).toBe(0);
    await tags.observe(mirrorId, 'ready', 'r1');
    expect(await tags.actionable(mirrorId)).toBe(1);
    await tags.markDeleting(mirrorId, ['waits']);
    expect(await tags.actionable(mirrorId)).toBe(2);
  });

  it('removes the tags with their mirror', async () => {
    await db.getRepository(MirrorEntity).delete({ id: mirrorId });
    expect(await db.query(`SELECT count(*)::int AS count FROM mirror_tags`)).toEqual([{ count: 0 }]);
  });
});
