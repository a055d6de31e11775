import 'reflect-metadata';
import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, EnvReader, LakemirrorConfig, loadConfig } from '@lakemirror/config';
import { Logger } from 'nestjs-pino';
import { LivenessController } from './health.controller';
import { RuntimeModule } from './runtime.module';

@Module({})
class AppRootModule {}

export interface AppDefinition {
  /** The app's name, on every log line. */
  name: string;
  /** The app's own modules, built from the validated configuration. */
  imports: (config: LakemirrorConfig) => DynamicModule[];
  /** Environment variable naming the HTTP port (health, and the API for apps/api). */
  portVariable: string;
  defaultPort: number;
}

/**
 * Starts a lakemirror app: validates configuration (one readable line and exit code 1 when it
 * is wrong), logs with pino, listens on loopback unless LAKEMIRROR_BIND says otherwise, and
 * closes cleanly on SIGTERM/SIGINT.
 */
export async function runApp(definition: AppDefinition): Promise<INestApplication> {
  let config: LakemirrorConfig;
  let port: number;
  let host: string;
  try {
    config = loadConfig();
    const env = new EnvReader(process.env);
    port = env.port(definition.portVariable, definition.defaultPort);
    host = env.optional('LAKEMIRROR_BIND') ?? '127.0.0.1';
    if (env.problems.length > 0) throw new ConfigError(env.problems);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const root: DynamicModule = {
    module: AppRootModule,
    imports: [RuntimeModule.forApp(definition.name, config), ...definition.imports(config)],
    controllers: [LivenessController],
  };
  const app = await NestFactory.create(root, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  await app.listen(port, host);
  logger.log({ port, host, source: config.source.lakefs.endpoint, regions: config.regions.map((r) => r.name) }, `${definition.name} started`);
  return app;
}
