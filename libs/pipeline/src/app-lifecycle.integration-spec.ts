import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '@lakemirror/app-runtime';
import { EnvReader, loadConfig } from '@lakemirror/config';
import { migratedSchema } from '@lakemirror/test-environment';
import { handlesLeakedBy, uniqueName } from '@lakemirror/testing';
import { pipelineApp } from './pipeline-app';
import { PipelineRole } from './pipeline.module';
import { readPipelineSettings } from './pipeline-settings';

// The worker apps' modules started and stopped repeatedly, as an orchestrator restarts them:
// every connection (PostgreSQL, Redis, lakeFS, S3) and timer they open is closed again.
describe('scanner, verifier and promoter apps', () => {
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  beforeAll(async () => (schema = await migratedSchema('lm_lifecycle')));
  afterAll(async () => schema?.drop());

  it.each<PipelineRole>(['scanner', 'verifier', 'promoter'])('%s leaves no open handle behind after start and stop', async (role) => {
    const config = { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq'), logLevel: 'fatal' as const };
    const settings = readPipelineSettings(new EnvReader({}));
    const leaked = await handlesLeakedBy(async () => {
      const app = await createApp(pipelineApp(role), config, settings);
      await app.init();
      // Running a moment, as a real process does: a BullMQ worker closed within milliseconds of
      // starting can leave its stalled-job timer running for one more interval (upstream race).
      await sleep(500);
      await app.close();
    });
    expect(leaked).toEqual({});
  });
});
