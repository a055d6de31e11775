export * from './branch-changes';
export * from './branch-lag';
export * from './commit-walk';
export * from './missing-objects';
export * from './promotion-target';
export * from './topological-order';
export * from './verification-chunks';
export * from './overlapping-ranges';
