export * from './job-options';
export * from './jobs';
export * from './queue-names';
export * from './redis-policy';
export * from './redis-connection';
