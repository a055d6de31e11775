import { ConfigError, EnvReader } from '@lakemirror/config';
import { createDataSource } from './data-source.factory';

// npm run db:migrate: applies pending migrations to LAKEMIRROR_DATABASE_URL.
async function main(): Promise<void> {
  const env = new EnvReader(process.env);
  const url = env.url('LAKEMIRROR_DATABASE_URL', 'PostgreSQL for mirror state', ['postgres:', 'postgresql:']);
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  const dataSource = await createDataSource(url).initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(applied.length ? applied.map((m) => `applied ${m.name}\n`).join('') : 'database schema is up to date\n');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`db:migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
