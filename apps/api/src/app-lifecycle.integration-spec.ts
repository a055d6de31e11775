import { createApp } from '@lakemirror/app-runtime';
import { EnvReader, loadConfig } from '@lakemirror/config';
import { migratedSchema } from '@lakemirror/test-environment';
import { handlesLeakedBy, uniqueName } from '@lakemirror/testing';
import { apiApp } from './api.app';
import { readApiSettings } from './api-settings';

// The API's modules started, serving a readiness check (PostgreSQL, Redis, every lakeFS) and a
// metrics scrape, then stopped, repeatedly: nothing it opened stays open.
describe('api app', () => {
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  beforeAll(async () => (schema = await migratedSchema('lm_lifecycle')));
  afterAll(async () => schema?.drop());

  it('leaves no open handle behind after start, requests and stop', async () => {
    const config = { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq'), logLevel: 'fatal' as const };
    const token = 'lifecycle-metrics-token';
    const settings = readApiSettings(new EnvReader({ LAKEMIRROR_METRICS_TOKEN: token }));
    const leaked = await handlesLeakedBy(async () => {
      const app = await createApp(apiApp, config, settings);
      await app.listen(0, '127.0.0.1');
      const url = await app.getUrl();
      expect((await fetch(`${url}/service/replication/v1/health`)).status).toBe(200);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      await app.close();
    });
    expect(leaked).toEqual({});
  });
});
