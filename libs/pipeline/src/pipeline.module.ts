import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LAKEMIRROR_CONFIG } from '@lakemirror/app-runtime';
import type { LakemirrorConfig } from '@lakemirror/config';
import { PinoLogger } from 'nestjs-pino';
import { PipelineComponents, createPipeline } from './pipeline-components';
import { PipelineRole, RunningRole, startRole } from './pipeline-roles';
import type { PipelineSettings } from './pipeline-settings';

export const PIPELINE = Symbol('PIPELINE');
const PIPELINE_SETTINGS = Symbol('PIPELINE_SETTINGS');
const PIPELINE_ROLE = Symbol('PIPELINE_ROLE');

/** Runs one role's workers for the app's lifetime; on shutdown, workers finish or hand back their jobs before connections close. */
@Injectable()
class PipelineLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private running?: RunningRole;

  constructor(
    @Inject(PIPELINE) private readonly pipeline: PipelineComponents,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
    @Inject(PIPELINE_ROLE) private readonly role: PipelineRole | undefined,
    private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.role) this.running = startRole(this.role, this.pipeline, this.settings, this.logger.logger);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
    await this.pipeline.close();
  }
}

@Module({})
export class PipelineModule {
  /** The pipeline for an app: a role runs its workers; without one (the API) only the services are provided. */
  static forRole(role: PipelineRole | undefined, settings: PipelineSettings): DynamicModule {
    return {
      module: PipelineModule,
      providers: [
        { provide: PIPELINE_SETTINGS, useValue: settings },
        { provide: PIPELINE_ROLE, useValue: role },
        {
          provide: PIPELINE,
          inject: [LAKEMIRROR_CONFIG, PinoLogger],
          useFactory: (config: LakemirrorConfig, logger: PinoLogger) => createPipeline(config, settings, logger.logger),
        },
        PipelineLifecycle,
      ],
      exports: [PIPELINE],
    };
  }
}
