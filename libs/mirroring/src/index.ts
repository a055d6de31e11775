export * from './branch-changes';
export * from './commit-walk';
export * from './promotion-target';
export * from './topological-order';
