import { Client } from 'pg';

/** A PostgreSQL schema of a test's own (so tests never see each other's rows), dropped afterwards. */
export async function createTestSchema(databaseUrl: string, prefix = 'lm_test'): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  return {
    schema,
    async drop() {
      const admin = new Client({ connectionString: databaseUrl });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
