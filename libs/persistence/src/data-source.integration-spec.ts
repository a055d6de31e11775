import { createTestSchema } from '@lakemirror/testing';
import { DataSource } from 'typeorm';
import { SchemaNotMigratedError, assertSchemaMigrated, createDataSource } from './data-source.factory';
import { BranchStateEntity } from './entities/branch-state.entity';
import { MirrorEntity } from './entities/mirror.entity';
import { PolicyAttachmentEntity, PolicyEntity } from './entities/policy.entity';

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
      'audit_log', 'branch_states', 'commit_chunks', 'group_members', 'migrations', 'mirror_commits', 'mirrors', 'missing_objects',
      'observed_heads', 'policies', 'policy_attachments', 'verified_ranges',
    ]);
  });

  it('stores mirrors with their branch states, removed with the mirror', async () => {
    const mirrors = db.getRepository(MirrorEntity);
    await mirrors.insert({ id: 'sales-eu', sourceRepository: 'sales', region: 'region-b', storageNamespace: 's3://b/sales', state: 'creating', createdBy: 'alice' });
    await expect(mirrors.insert({ id: 'sales-eu', sourceRepository: 'x', region: 'r', storageNamespace: 's3://b/x', state: 'creating', createdBy: 'bob' })).rejects.toThrow(/duplicate key/);
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
});
