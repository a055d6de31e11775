import { ConfigError, EnvReader, readDatabaseSettings, redactUrlsIn } from '@lakemirror/config';
import { connectDataSource, createDataSource } from './data-source.factory';

// npm run db:migrate: applies pending migrations to LAKEMIRROR_DATABASE_URL (TLS as the apps: README "TLS").
async function main(): Promise<void> {
  const env = new EnvReader(process.env);
  const { databaseUrl, databaseTls } = readDatabaseSettings(env);
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  const dataSource = await connectDataSource(createDataSource(databaseUrl, { tls: databaseTls }));
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(applied.length ? applied.map((m) => `applied ${m.name}\n`).join('') : 'database schema is up to date\n');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`db:migrate: ${redactUrlsIn(error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
});
