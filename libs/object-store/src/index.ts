export * from './bounded-map';
export * from './list-keys';
export * from './object-existence';
export * from './object-location';
export * from './presence-check';
export * from './region-object-stores';
export * from './s3-client.factory';
export * from './storage-namespace';
