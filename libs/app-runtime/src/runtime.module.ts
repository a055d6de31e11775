import { DynamicModule, Global, Module } from '@nestjs/common';
import type { LakemirrorConfig } from '@lakemirror/config';
import { LoggerModule } from 'nestjs-pino';
import { LAKEMIRROR_CONFIG } from './config.token';
import { loggerOptions } from './logger-options';

/** What every lakemirror app shares: its validated configuration and its pino logger. */
@Global()
@Module({})
export class RuntimeModule {
  static forApp(app: string, config: LakemirrorConfig): DynamicModule {
    return {
      module: RuntimeModule,
      imports: [LoggerModule.forRoot(loggerOptions(app, config))],
      providers: [{ provide: LAKEMIRROR_CONFIG, useValue: config }],
      exports: [LAKEMIRROR_CONFIG],
    };
  }
}
