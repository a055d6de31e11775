export * from './bounded-map';
export * from './object-existence';
export * from './object-location';
export * from './s3-client.factory';
export * from './storage-namespace';
