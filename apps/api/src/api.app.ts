import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppDefinition } from '@lakemirror/app-runtime';
import { BULL_BOARD_PATH, mountBullBoard } from './admin/bull-board';
import { ApiModule } from './api.module';
import { ApiSettings, readApiSettings } from './api-settings';
import { jsonBodiesOnly } from './security/json-bodies-only.middleware';
import { securityHeaders } from './security/security-headers.middleware';

const DOCS_PATH = '/service/replication/v1/docs';

/** The replication API: its settings, modules, security headers, JSON-only bodies, Bull Board and OpenAPI document. */
export const apiApp: AppDefinition<ApiSettings> = {
  name: 'api',
  settings: readApiSettings,
  imports: (_config, settings) => [ApiModule.forSettings(settings)],
  configure: (app, _config, settings) => {
    const http = app as NestExpressApplication;
    http.disable('x-powered-by');
    http.set('trust proxy', settings.trustedProxies);
    // Before any body parser (Nest adds the URL-encoded one at init): a form never gets parsed.
    http.use(securityHeaders([BULL_BOARD_PATH, DOCS_PATH]));
    http.use(jsonBodiesOnly);
    http.useBodyParser('json', { limit: '16kb' });
    mountBullBoard(app);
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('lakemirror replication API')
        .setDescription('Mirrors of lakeFS repositories in other regions. Authenticate with your lakeFS access key ID and secret (HTTP basic).')
        .addBasicAuth()
        // The hook route's scheme: a mirror's hook token (docs/api.md, event-driven mirroring).
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup(DOCS_PATH.slice(1), app, document, { jsonDocumentUrl: 'service/replication/v1/openapi.json' });
  },
  portVariable: 'LAKEMIRROR_API_PORT',
  defaultPort: 8080,
};
