// Test support built on lakemirror's libraries: clients for the local two-region environment,
// simulated replication lag, migrated PostgreSQL schemas. Generic helpers are in @lakemirror/testing.
// The tests of lakefs-client and object-store must not use this library (it depends on them):
// they have fixtures of their own.
export * from './test-environment';
export * from './region-lag';
export * from './migrated-schema';
