export * from './free-port';
export * from './redis-instance';
export * from './region-lag';
export * from './test-schema';
export * from './test-environment';
export * from './wait-for';
export * from './app-process';
export * from './migrated-schema';
