export * from './config.token';
export * from './liveness.controller';
export * from './logger-options';
export * from './public.decorator';
export * from './run-app';
export * from './runtime.module';
