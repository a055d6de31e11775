import 'reflect-metadata';
import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, EnvReader, LakemirrorConfig, loadConfig, redactUrl, redactUrlsIn } from '@lakemirror/config';
import { Logger } from 'nestjs-pino';
import { applyHeapGrowth, readHeapGrowthPercent } from './heap-growth';
import { LivenessController } from './liveness.controller';
import { RuntimeModule } from './runtime.module';

@Module({})
class AppRootModule {}

export interface AppDefinition<S = undefined> {
  /** The app's name, on every log line. */
  name: string;
  /** The app's own settings, read and validated with the common configuration (problems reported together). */
  settings?: (env: EnvReader) => S;
  /** The app's own modules, built from the validated configuration. */
  imports: (config: LakemirrorConfig, settings: S) => DynamicModule[];
  /** Adjusts the HTTP application before it listens (body limits, OpenAPI, ...). */
  configure?: (app: INestApplication, config: LakemirrorConfig, settings: S) => void | Promise<void>;
  /** Environment variable naming the HTTP port (health, and the API for apps/api). */
  portVariable: string;
  defaultPort: number;
}

/**
 * Builds a lakemirror app's Nest application from validated settings, without listening: its
 * modules, the liveness route, pino as the logger, and the app's own configuration.
 */
export async function createApp<S>(definition: AppDefinition<S>, config: LakemirrorConfig, settings: S): Promise<INestApplication> {
  const root: DynamicModule = {
    module: AppRootModule,
    imports: [RuntimeModule.forApp(definition.name, config), ...definition.imports(config, settings)],
    controllers: [LivenessController],
  };
  // No Nest logger until pino takes over: a failed start prints one line of ours, not Nest's stack dump.
  const app = await NestFactory.create(root, { logger: false, abortOnError: false });
  app.useLogger(app.get(Logger));
  await definition.configure?.(app, config, settings);
  return app;
}

/**
 * Starts a lakemirror app: validates configuration (one readable line and exit code 1 when it
 * is wrong), logs with pino, listens on loopback unless LAKEMIRROR_BIND says otherwise, and
 * closes cleanly on SIGTERM/SIGINT.
 */
export async function runApp<S = undefined>(definition: AppDefinition<S>): Promise<INestApplication> {
  const env = new EnvReader(process.env);
  const port = env.port(definition.portVariable, definition.defaultPort);
  const host = env.optional('LAKEMIRROR_BIND') ?? '127.0.0.1';
  const settings = definition.settings?.(env) as S;
  const heapGrowthPercent = readHeapGrowthPercent(env);
  let config: LakemirrorConfig | undefined;
  const problems: string[] = [];
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  problems.push(...env.problems);
  if (!config || problems.length > 0) {
    process.stderr.write(`${definition.name}: ${new ConfigError(problems).message}\n`);
    process.exit(1);
  }
  applyHeapGrowth(heapGrowthPercent);
  let app: INestApplication;
  let logger: Logger;
  try {
    app = await createApp(definition, config, settings);
    logger = app.get(Logger);
    await app.listen(port, host);
  } catch (error) {
    // A dependency that is down or not ready (database schema, port in use): one readable line.
    process.stderr.write(`${definition.name}: could not start: ${redactUrlsIn(error instanceof Error ? error.message : String(error))}\n`);
    process.exit(1);
  }
  const regions = config.regions.map((r) => r.name);
  logger.log({
    msg: `${definition.name} started`,
    port,
    host,
    source: redactUrl(config.source.lakefs.endpoint),
    regions,
    database: redactUrl(config.databaseUrl),
    redis: redactUrl(config.redisUrl),
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void stop(app, logger, definition.name, signal));
  }
  return app;
}

// app.close() runs every module's shutdown hooks (workers finish or hand back their jobs).
async function stop(app: INestApplication, logger: Logger, name: string, signal: NodeJS.Signals): Promise<void> {
  logger.log({ msg: `${name} stopping`, signal });
  try {
    await app.close();
    logger.log({ msg: `${name} stopped` });
    process.exit(0);
  } catch (error) {
    logger.error({ msg: `${name} failed to stop cleanly`, err: error });
    process.exit(1);
  }
}
