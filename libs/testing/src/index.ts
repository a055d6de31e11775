export * from './test-environment';
export * from './wait-for';
