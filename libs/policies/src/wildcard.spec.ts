import { arnMatch } from './arn';
import { wildcardMatch } from './wildcard';

describe('wildcardMatch (as lakeFS matches)', () => {
  it.each([
    ['fs:*', 'fs:ReadRepository', true],
    ['fs:Read*', 'fs:ReadRepository', true],
    ['fs:Read*', 'fs:ListRepositories', false],
    ['*', '', true],
    ['fs:?eadRepository', 'fs:ReadRepository', true],
    ['fs:?eadRepository', 'fs:RReadRepository', false],
    ['repository/*-mirror', 'repository/sales-mirror', true],
    ['repository/*-mirror', 'repository/sales-mirror-2', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['*é', 'café', true],
  ])('%s ~ %s → %s', (pattern, name, expected) => {
    expect(wildcardMatch(pattern, name)).toBe(expected);
  });
});

describe('arnMatch', () => {
  it('matches resources with wildcards, within the same service and account only', () => {
    expect(arnMatch('*', 'arn:lakefs:fs:::repository/x')).toBe(true);
    expect(arnMatch('arn:lakefs:fs:::repository/*', 'arn:lakefs:fs:::repository/x')).toBe(true);
    expect(arnMatch('arn:lakefs:fs:::repository/x', 'arn:lakefs:fs:::repository/y')).toBe(false);
    expect(arnMatch('arn:lakefs:auth:::repository/*', 'arn:lakefs:fs:::repository/x')).toBe(false);
    expect(arnMatch('arn:lakefs:fs:::repository/*', 'arn:lakefs:fs:::namespace/s3://b/p')).toBe(false);
    expect(arnMatch('arn:lakefs:fs:::namespace/s3://b/*', 'arn:lakefs:fs:::namespace/s3://b/p/q')).toBe(true);
    expect(arnMatch('not-an-arn', 'arn:lakefs:fs:::repository/x')).toBe(false);
  });
});
