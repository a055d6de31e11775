export * from './commit-record';
export * from './lakefs-client';
export * from './lakefs.errors';
export * from './lakefs.types';
export { DEFAULT_LAKEFS_RETRY, LakefsTransportOptions, LakefsCredentials, RetryLogger } from './lakefs-transport';
export * from './paginate';
