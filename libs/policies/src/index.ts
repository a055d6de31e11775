export * from './actions';
export * from './arn';
export * from './conditions';
export * from './evaluate';
export * from './policy-document';
export * from './policy.types';
export * from './resources';
export * from './wildcard';
