import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppDefinition } from '@lakemirror/app-runtime';
import { mountBullBoard } from './admin/bull-board';
import { ApiModule } from './api.module';
import { ApiSettings, readApiSettings } from './api-settings';

/** The replication API: its settings, modules, body limit, Bull Board and OpenAPI document. */
export const apiApp: AppDefinition<ApiSettings> = {
  name: 'api',
  settings: readApiSettings,
  imports: (_config, settings) => [ApiModule.forSettings(settings)],
  configure: (app, _config, settings) => {
    const http = app as NestExpressApplication;
    http.useBodyParser('json', { limit: '16kb' });
    mountBullBoard(app, settings);
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('lakemirror replication API')
        .setDescription('Mirrors of lakeFS repositories in other regions. Authenticate with your lakeFS access key ID and secret (HTTP basic).')
        .addBasicAuth()
        .build(),
    );
    SwaggerModule.setup('service/replication/v1/docs', app, document, { jsonDocumentUrl: 'service/replication/v1/openapi.json' });
  },
  portVariable: 'LAKEMIRROR_API_PORT',
  defaultPort: 8080,
};
