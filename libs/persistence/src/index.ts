export * from './data-source.factory';
export * from './entities/audit-record.entity';
export * from './entities/branch-state.entity';
export * from './entities/mirror.entity';
export * from './entities/policy.entity';
