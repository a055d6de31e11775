export * from './commit-record';
export * from './lakefs-client';
export * from './lakefs.errors';
export * from './lakefs.types';
export { LakefsTransportOptions, LakefsCredentials, RetryLogger } from './lakefs-transport';
export * from './paginate';
export * from './retry-policy';
