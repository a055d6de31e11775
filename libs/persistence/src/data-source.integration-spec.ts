import { createTestSchema } from '@lakemirror/testing';
import { DataSource } from 'typeorm';
import { SchemaNotMigratedError, assertSchemaMigrated, createDataSource } from './data-source.factory';
import { BranchStateEntity } from './entities/branch-state.entity';
import { MirrorEntity } from './entities/mirror.entity';
import { PolicyAttachmentEntity } from './entities/policy-attachment.entity';
import { PolicyEntity } from './entities/policy.entity';
import { BranchStateRepository } from './repositories/branch-state.repository';
import { MirrorCommitRepository } from './repositories/mirror-commit.repository';
import { MirrorNameTakenError, MirrorRepository } from './repositories/mirror.repository';

describe('persistence on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let db: DataSource;

  beforeAll(async () => {
    schema = await createTestSchema(process.env.LAKEMIRROR_DATABASE_URL as string);
    db = await createDataSource(process.env.LAKEMIRROR_DATABASE_URL as string, { schema: schema.schema }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await schema.drop();
  });

  it('refuses an unmigrated schema, then migrates explicitly, once', async () => {
    await expect(assertSchemaMigrated(db)).rejects.toThrow(SchemaNotMigratedError);
    expect((await db.runMigrations()).map((m) => m.name)).toEqual(['InitialSchema1795500000000', 'PipelineState1795600000000', 'ChunkBaseRanges1795700000000']);
    expect(await db.runMigrations()).toEqual([]);
    await expect(assertSchemaMigrated(db)).resolves.toBeUndefined();
    const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema.schema]);
    expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual([
      'audit_log',
      'branch_states',
      'commit_chunks',
      'group_members',
      'migrations',
      'mirror_commits',
      'mirrors',
      'missing_objects',
      'observed_heads',
      'policies',
      'policy_attachments',
      'verified_ranges',
    ]);
  });

  it('stores mirrors with their branch states, removed with the mirror', async () => {
    const mirrors = db.getRepository(MirrorEntity);
    await mirrors.insert({
      id: 'sales-eu',
      sourceRepository: 'sales',
      region: 'region-b',
      storageNamespace: 's3://b/sales',
      state: 'creating',
      createdBy: 'alice',
    });
    await expect(
      mirrors.insert({ id: 'sales-eu', sourceRepository: 'x', region: 'r', storageNamespace: 's3://b/x', state: 'creating', createdBy: 'bob' }),
    ).rejects.toThrow(/duplicate key/);
    await db.getRepository(BranchStateEntity).insert({ mirrorId: 'sales-eu', branch: 'main', sourceHead: 'abc', observedSequence: '1' });
    expect(await mirrors.findOneByOrFail({ id: 'sales-eu' })).toMatchObject({ sourceRepository: 'sales', state: 'creating', createdBy: 'alice' });
    await mirrors.delete({ id: 'sales-eu' });
    expect(await db.getRepository(BranchStateEntity).count()).toBe(0);
  });

  it('keeps policy documents as JSON and drops attachments with their policy', async () => {
    const document = { id: 'p1', statement: [{ action: ['fs:*'], effect: 'allow' as const, resource: '*' }] };
    await db.getRepository(PolicyEntity).save({ id: 'p1', document });
    await db.getRepository(PolicyAttachmentEntity).insert({ policyId: 'p1', principalType: 'user', principalId: 'alice' });
    expect((await db.getRepository(PolicyEntity).findOneByOrFail({ id: 'p1' })).document).toEqual(document);
    await db.getRepository(PolicyEntity).delete({ id: 'p1' });
    expect(await db.getRepository(PolicyAttachmentEntity).count()).toBe(0);
  });

  it('reports a taken mirror name by SQLSTATE as a typed error, whatever the message says', async () => {
    const mirrors = new MirrorRepository(db);
    const mirror = { id: 'taken', sourceRepository: 'sales', region: 'region-b', storageNamespace: 's3://b/taken', createdBy: 'alice' };
    await mirrors.insertCreating(mirror);
    await expect(mirrors.insertCreating({ ...mirror, createdBy: 'bob' })).rejects.toThrow(MirrorNameTakenError);
    expect(await mirrors.find('taken')).toMatchObject({ state: 'creating', createdBy: 'alice' });
    await mirrors.delete('taken', 'active');
    expect(await mirrors.find('taken')).toBeDefined();
    await mirrors.delete('taken', 'creating');
    expect(await mirrors.find('taken')).toBeUndefined();
  });

  it('moves a commit only from the state and generation the caller saw, and says whether it did', async () => {
    await new MirrorRepository(db).insertCreating({ id: 'm1', sourceRepository: 's', region: 'r', storageNamespace: 's3://b/m1', createdBy: 'a' });
    const commits = new MirrorCommitRepository(db);
    const commit = { id: 'c1', parents: [], committer: 'a', message: 'm', creation_date: 1_700_000_000, meta_range_id: 'mr' };
    expect(await commits.addDiscovered('m1', [commit])).toEqual(['c1']);
    expect(await commits.addDiscovered('m1', [commit])).toEqual([]);
    expect(await commits.transition('m1', 'c1', { state: ['pending'], generation: 1 }, 'verifying')).toBe(false);
    expect(await commits.transition('m1', 'c1', { state: ['pending'], generation: 0 }, 'verifying', 7)).toBe(true);
    expect(await commits.transition('m1', 'c1', { state: ['pending'] }, 'verifying')).toBe(false);
    expect(await commits.replan('m1', 'c1', { state: 'verifying', generation: 0 })).toBe(1);
    expect(await commits.replan('m1', 'c1', { state: 'verifying', generation: 0 })).toBeUndefined();
    expect(await commits.get('m1', 'c1')).toMatchObject({ state: 'pending', generation: 1, creationDate: 1_700_000_000, sourceCommit: commit });
  });

  it('numbers the observations of a branch and locks its row', async () => {
    const branches = new BranchStateRepository(db);
    expect(await branches.advanceObserved('m1', 'main', 'h1')).toBe(1);
    expect(await branches.advanceObserved('m1', 'main', 'h2')).toBe(2);
    await db.transaction(async (tx) =>
      expect(await branches.lock('m1', 'main', tx)).toMatchObject({ sourceHead: 'h2', observedSequence: 2, mirroredSequence: 0 }),
    );
    await db.transaction(async (tx) => expect(await branches.lock('m1', 'gone', tx)).toBeUndefined());
  });
});
