// Generic test helpers, with no dependency on any lakemirror library (so every library's tests
// may use them). Clients for the local environment are in @lakemirror/test-environment.
export * from './fault-proxy';
export * from './free-port';
export * from './redis-instance';
export * from './postgres-instance';
export * from './test-certificates';
export * from './test-schema';
export * from './unique-name';
export * from './local-buckets';
export * from './wait-for';
export * from './app-process';
export * from './open-handles';
