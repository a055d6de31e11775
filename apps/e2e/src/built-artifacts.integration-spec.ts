import { collect } from '@lakemirror/lakefs-client';
import { createTestSchema } from '@lakemirror/testing';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

const root = path.resolve(__dirname, '../../..');

// The production bundles (dist/<app>/main.js, written by `npx nx run-many -t build`) run with plain
// node, no TypeScript loader, as the container image runs them: a bundling mistake (a package
// bundled that reads files next to itself, lost decorator metadata, a class name the runtime needs,
// a migration left out) fails here rather than in production.
describe('the production bundles, end to end', () => {
  const pipeline = new PipelineUnderTest({}, { from: 'dist' });
  const { source, regionB } = pipeline.env;
  const apps = ['api', 'scanner', 'verifier', 'promoter'];
  let repository: string;
  let mirror: string;

  beforeAll(async () => {
    await pipeline.start(...apps);
    repository = await pipeline.createSourceRepository('e2e-dist');
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('run dist/<app>/main.js with plain node, without the TypeScript loader', async () => {
    for (const app of apps) {
      const running = pipeline.processes.get(app);
      expect(running?.from).toBe('dist');
      const argv = (await readFile(`/proc/${running?.pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
      expect(argv.slice(1)).toEqual(['--enable-source-maps', `dist/${app}/main.js`]);
      // @swc-node/register loads swc's native binding; a bundle must not need it.
      expect(await readFile(`/proc/${running?.pid}/maps`, 'utf8')).not.toMatch(/swc/);
    }
  });

  it('mirror a repository with a branch and a merge: same commits, same bytes', async () => {
    await commitObjects(source.lakefs, repository, 'main', 'base', 20);
    await source.lakefs.createBranch(repository, 'feature', 'main');
    await commitObjects(source.lakefs, repository, 'feature', 'feature', 6);
    await source.lakefs.merge(repository, 'feature', 'main', { message: 'merge feature' });
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror, 90_000);

    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    for (const branch of ['main', 'feature']) {
      expect((await collect(regionB.lakefs.log(mirror, branch))).sort(byId)).toEqual((await collect(source.lakefs.log(repository, branch))).sort(byId));
    }
    const objects = await collect(source.lakefs.listObjects(repository, 'main'));
    expect(objects).toHaveLength(26);
    for (const object of objects.slice(0, 5)) {
      expect((await regionB.lakefs.getObject(mirror, 'main', object.path)).equals(await source.lakefs.getObject(repository, 'main', object.path))).toBe(true);
    }
    const status = await pipeline.status(repository, mirror);
    expect(status.branches.map((b) => [b.branch, b.up_to_date])).toEqual([
      ['feature', true],
      ['main', true],
    ]);
  });

  it('serve what the API reads from its packages at runtime: readiness, metrics, OpenAPI docs, Bull Board', async () => {
    const api = pipeline.api.url;
    const ready = await fetch(`${api}/service/replication/v1/health`);
    expect(ready.status).toBe(200);
    expect(await (await fetch(`${api}/metrics`, { headers: pipeline.auth })).text()).toContain('lakemirror_api_process_cpu_seconds_total');
    const openapi = (await (await fetch(`${api}/service/replication/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/service/replication/v1/repositories/{repository}/mirrors');
    const docs = await fetch(`${api}/service/replication/v1/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    const css = await fetch(`${api}/service/replication/v1/docs/swagger-ui.css`);
    expect(css.status).toBe(200);
    const queues = (await (await fetch(`${api}/service/replication/v1/admin/queues/api/queues`, { headers: pipeline.auth })).json()) as {
      queues: { name: string }[];
    };
    expect(queues.queues.map((q) => q.name).sort()).toEqual(['commit-promote', 'commit-verify', 'mirror-audit', 'mirror-scan']);
    const board = await fetch(`${api}/service/replication/v1/admin/queues`, { headers: pipeline.auth });
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('<html');
  });

  it('dist/migrate/main.js creates the schema the migrations from sources create', async () => {
    const url = process.env.LAKEMIRROR_DATABASE_URL as string;
    const fromBundle = await createTestSchema(url, 'lm_e2e_dist');
    try {
      const target = new URL(url);
      target.searchParams.set('options', `-c search_path=${fromBundle.schema}`);
      const migrate = () =>
        promisify(execFile)('node', ['dist/migrate/main.js'], {
          cwd: root,
          env: { ...process.env, LAKEMIRROR_DATABASE_URL: target.toString() },
          timeout: 30_000,
        });
      expect((await migrate()).stdout).toMatch(/^(applied \w+\n)+$/);
      expect((await migrate()).stdout).toBe('database schema is up to date\n');

      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const shape = async (schema: string) => ({
          migrations: (await client.query(`SELECT name FROM ${schema}.migrations ORDER BY name`)).rows,
          columns: (
            await client.query(
              `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, column_name`,
              [schema],
            )
          ).rows.map((column) => ({ ...column, column_default: column.column_default?.replaceAll(`${schema}.`, '') })),
        });
        const fromSources = (await pipeline.db.query(`SELECT current_schema() AS schema`))[0].schema as string;
        const expected = await shape(fromSources);
        expect(expected.migrations.length).toBeGreaterThan(0);
        expect(await shape(fromBundle.schema)).toEqual(expected);
      } finally {
        await client.end();
      }
    } finally {
      await fromBundle.drop();
    }
  });
});
