export * from './arn';
export * from './evaluate';
export * from './policy-document';
export * from './policy.types';
export * from './wildcard';
