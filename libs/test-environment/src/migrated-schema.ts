import { createDataSource } from '@lakemirror/persistence';
import { createTestSchema } from '@lakemirror/testing';
import { DataSource } from 'typeorm';

/** A PostgreSQL schema of the test's own, migrated, with a data source on it; dropped afterwards. `url`: the environment's PostgreSQL unless given. */
export async function migratedSchema(
  prefix = 'lm_test',
  url = process.env.LAKEMIRROR_DATABASE_URL as string,
): Promise<{ schema: string; db: DataSource; drop(): Promise<void> }> {
  const created = await createTestSchema(url, prefix);
  const db = await createDataSource(url, { schema: created.schema }).initialize();
  await db.runMigrations();
  return {
    schema: created.schema,
    db,
    async drop() {
      await db.destroy();
      await created.drop();
    },
  };
}
