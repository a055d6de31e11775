export * from './config-error';
export * from './config.types';
export * from './env-reader';
export * from './load-config';
export * from './retry-backoff';
export * from './secret';
