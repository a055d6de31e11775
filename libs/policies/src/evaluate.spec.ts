import { arns } from './arn';
import { authorize, evaluate } from './evaluate';
import { parsePolicy } from './policy-document';
import { sourceIpContext } from './conditions';
import type { Permission, Policy, PolicyStatement } from './policy.types';

// The two policies printed in the lakeFS Cloud mirroring reference, verbatim but for placeholders.
const broad: Policy = parsePolicy({
  id: 'ReplicationPolicy',
  statement: [
    {
      action: [
        'fs:ReadRepository',
        'fs:CreateRepository',
        'fs:UpdateRepository',
        'fs:DeleteRepository',
        'fs:ListRepositories',
        'fs:AttachStorageNamespace',
        'fs:ReadObject',
        'fs:WriteObject',
        'fs:DeleteObject',
        'fs:ListObjects',
        'fs:CreateCommit',
        'fs:ReadCommit',
        'fs:ListCommits',
        'fs:CreateBranch',
        'fs:DeleteBranch',
        'fs:RevertBranch',
        'fs:ReadBranch',
        'fs:ListBranches',
      ],
      effect: 'allow',
      resource: '*',
    },
  ],
});
const narrow = (source: string, mirror: string, namespace: string): Policy =>
  parsePolicy({
    id: 'ReplicationPolicy',
    statement: [
      { action: ['fs:ListRepositories'], effect: 'allow', resource: '*' },
      {
        action: ['fs:ReadRepository', 'fs:ReadObject', 'fs:ListObjects', 'fs:ReadCommit', 'fs:ListCommits', 'fs:ReadBranch', 'fs:ListBranches'],
        effect: 'allow',
        resource: `arn:lakefs:fs:::repository/${source}`,
      },
      {
        action: [
          'fs:ReadRepository',
          'fs:CreateRepository',
          'fs:UpdateRepository',
          'fs:DeleteRepository',
          'fs:AttachStorageNamespace',
          'fs:ReadObject',
          'fs:WriteObject',
          'fs:DeleteObject',
          'fs:ListObjects',
          'fs:CreateCommit',
          'fs:ReadCommit',
          'fs:ListCommits',
          'fs:CreateBranch',
          'fs:DeleteBranch',
          'fs:RevertBranch',
          'fs:ReadBranch',
          'fs:ListBranches',
        ],
        effect: 'allow',
        resource: `arn:lakefs:fs:::repository/${mirror}`,
      },
      { action: ['fs:AttachStorageNamespace'], effect: 'allow', resource: `arn:lakefs:fs:::namespace/${namespace}` },
    ],
  });
// The reference's policies are the replication user's; the RBAC table also asks callers who create mirrors for this one.
const mirrorOf = (source: string): Policy => ({
  id: 'MirrorSource',
  statement: [{ action: ['fs:MirrorRepository'], effect: 'allow', resource: arns.repository(source) }],
});

// The RBAC table of the reference.
const toCreate = (source: string, mirror: string, namespace: string): Permission[] => [
  { action: 'fs:CreateRepository', resource: arns.repository(mirror) },
  { action: 'fs:MirrorRepository', resource: arns.repository(source) },
  { action: 'fs:AttachStorageNamespace', resource: arns.namespace(namespace) },
];
const toDelete = (mirror: string): Permission[] => [{ action: 'fs:DeleteRepository', resource: arns.repository(mirror) }];
const toList: Permission[] = [{ action: 'fs:ListRepositories', resource: '*' }];

const NS = 's3://region-b/repos/sales';
const allowed = (policies: Policy[], required: Permission[]) => authorize(policies, required, 'alice').allowed;

describe('the reference policies under the reference RBAC table', () => {
  it('broad: lists, gets and deletes any mirror, but creates none without fs:MirrorRepository', () => {
    expect(allowed([broad], toList)).toBe(true);
    expect(allowed([broad], toDelete('any-mirror'))).toBe(true);
    const result = authorize([broad], toCreate('sales', 'sales-eu', NS), 'alice');
    expect(result).toEqual({ allowed: false, missing: { action: 'fs:MirrorRepository', resource: arns.repository('sales'), decision: 'neutral' } });
    expect(allowed([broad, mirrorOf('sales')], toCreate('sales', 'sales-eu', NS))).toBe(true);
  });

  it('narrow: exactly its own mirror, of its own source, into its own namespace', () => {
    const policies = [narrow('sales', 'sales-eu', NS), mirrorOf('sales')];
    expect(allowed(policies, toList)).toBe(true);
    expect(allowed(policies, toCreate('sales', 'sales-eu', NS))).toBe(true);
    expect(allowed(policies, toDelete('sales-eu'))).toBe(true);

    expect(authorize(policies, toCreate('finance', 'sales-eu', NS), 'alice').missing).toMatchObject({
      action: 'fs:MirrorRepository',
      resource: arns.repository('finance'),
    });
    expect(authorize(policies, toCreate('sales', 'sales-eu', 's3://region-b/other'), 'alice').missing).toMatchObject({
      action: 'fs:AttachStorageNamespace',
      resource: arns.namespace('s3://region-b/other'),
    });
    expect(authorize(policies, toCreate('sales', 'sales-us', NS), 'alice').missing).toMatchObject({
      action: 'fs:CreateRepository',
      resource: arns.repository('sales-us'),
    });
    expect(allowed(policies, toDelete('someone-elses-mirror'))).toBe(false);
    expect(allowed([narrow('sales', 'sales-eu', NS)], toCreate('sales', 'sales-eu', NS))).toBe(false);
  });

  it('no policy: nothing', () => {
    expect(allowed([], toList)).toBe(false);
  });
});

describe('evaluation rules', () => {
  const permission = { action: 'fs:DeleteRepository', resource: arns.repository('prod-mirror') };

  it('an explicit deny beats any allow, wherever it is', () => {
    const allowAll: Policy = { id: 'all', statement: [{ action: ['fs:*'], effect: 'allow', resource: '*' }] };
    const denyProd: Policy = { id: 'no-prod', statement: [{ action: ['fs:Delete*'], effect: 'deny', resource: 'arn:lakefs:fs:::repository/prod-*' }] };
    expect(evaluate([allowAll, denyProd], permission, 'alice')).toBe('deny');
    expect(evaluate([denyProd, allowAll], permission, 'alice')).toBe('deny');
    expect(evaluate([allowAll, denyProd], { ...permission, resource: arns.repository('dev-mirror') }, 'alice')).toBe('allow');
    expect(authorize([allowAll, denyProd], [permission], 'alice').missing?.decision).toBe('deny');
  });

  it('reads resource lists written as JSON strings, and ${user}', () => {
    const policy: Policy = {
      id: 'list',
      statement: [{ action: ['fs:DeleteRepository'], effect: 'allow', resource: '["arn:lakefs:fs:::repository/a","arn:lakefs:fs:::repository/${user}-*"]' }],
    };
    expect(evaluate([policy], { action: 'fs:DeleteRepository', resource: arns.repository('a') }, 'alice')).toBe('allow');
    expect(evaluate([policy], { action: 'fs:DeleteRepository', resource: arns.repository('alice-sandbox') }, 'alice')).toBe('allow');
    expect(evaluate([policy], { action: 'fs:DeleteRepository', resource: arns.repository('bob-sandbox') }, 'alice')).toBe('neutral');
  });
});

describe('what lakeFS cannot evaluate denies the whole check (CheckPermissions in pkg/auth/service.go)', () => {
  const read = { action: 'fs:ReadRepository', resource: arns.repository('sales') };
  const allowAll: Policy = { id: 'all', statement: [{ action: ['fs:*'], effect: 'allow', resource: '*' }] };

  it.each([
    ['a JSON list that does not parse', '["arn:lakefs:fs:::repository/a", arn:lakefs:fs:::repository/b"]'],
    ['a list of non-strings', '[1, 2]'],
    ['an empty resource', ''],
  ])('%s, in a statement about something else, after an allow', (_name, resource) => {
    const broken: Policy = { id: 'broken', statement: [{ action: ['fs:DeleteRepository'], effect: 'deny', resource }] };
    expect(evaluate([allowAll, broken], read, 'alice')).toBe('deny');
    expect(authorize([allowAll, broken], [read], 'alice').missing).toEqual({
      ...read,
      decision: 'deny',
      cause: { policy: 'broken', statement: 0, problem: 'malformed resource' },
    });
  });

  it('a condition that cannot be evaluated: an unsupported operator, a malformed address', () => {
    const withCondition = (condition: PolicyStatement['condition']): Policy => ({
      id: 'odd',
      statement: [{ action: ['fs:ReadRepository'], effect: 'allow', resource: '*', condition }],
    });
    const context = { SourceIp: '10.1.2.3' };
    expect(evaluate([allowAll, withCondition({ DateGreaterThan: { CurrentTime: ['2020-01-01'] } })], read, 'alice', context)).toBe('deny');
    expect(evaluate([allowAll, withCondition({ IpAddress: { SourceIp: ['10.0.0.0/33'] } })], read, 'alice', context)).toBe('deny');
    // A malformed resource in a statement whose condition does not hold is never read, as in lakeFS.
    const skipped: Policy = {
      id: 'skipped',
      statement: [{ action: ['fs:*'], effect: 'deny', resource: '[oops', condition: { IpAddress: { SourceIp: ['192.168.0.0/16'] } } }],
    };
    expect(evaluate([allowAll, skipped], read, 'alice', context)).toBe('allow');
  });
});

describe('conditions on the client address', () => {
  const read = { action: 'fs:ReadRepository', resource: arns.repository('sales') };
  const fromOffice: Policy = {
    id: 'office',
    statement: [{ action: ['fs:ReadRepository'], effect: 'allow', resource: '*', condition: { IpAddress: { SourceIp: ['10.0.0.0/8', '2001:db8::/32'] } } }],
  };
  const notFromCafe: Policy = {
    id: 'no-cafe',
    statement: [{ action: ['fs:*'], effect: 'deny', resource: '*', condition: { NotIpAddress: { SourceIp: ['10.0.0.0/8'] } } }],
  };

  it('applies a statement only where its condition holds, never unconditionally', () => {
    expect(evaluate([fromOffice], read, 'alice', sourceIpContext('10.9.8.7'))).toBe('allow');
    expect(evaluate([fromOffice], read, 'alice', sourceIpContext('::ffff:10.9.8.7'))).toBe('allow');
    expect(evaluate([fromOffice], read, 'alice', sourceIpContext('2001:db8::1'))).toBe('allow');
    expect(evaluate([fromOffice], read, 'alice', sourceIpContext('2001:db9::1'))).toBe('neutral');
    expect(evaluate([fromOffice], read, 'alice', sourceIpContext('192.0.2.1'))).toBe('neutral');
    expect(evaluate([fromOffice], read, 'alice', sourceIpContext(undefined))).toBe('neutral');
    expect(evaluate([fromOffice], read, 'alice')).toBe('neutral');
  });

  it('lets a conditional deny win where it holds', () => {
    expect(evaluate([fromOffice, notFromCafe], read, 'alice', sourceIpContext('10.1.1.1'))).toBe('allow');
    const everywhere: Policy = { id: 'all', statement: [{ action: ['fs:*'], effect: 'allow', resource: '*' }] };
    expect(evaluate([everywhere, notFromCafe], read, 'alice', sourceIpContext('198.51.100.7'))).toBe('deny');
  });
});

describe('parsePolicy', () => {
  it('names every problem of a bad document', () => {
    expect(() => parsePolicy({ id: '', statement: [{ action: [], effect: 'maybe', resource: '' }] })).toThrow(
      /id: must be 1-128.*statement\.0\.action.*statement\.0\.effect.*statement\.0\.resource/,
    );
    expect(() => parsePolicy('nope')).toThrow('invalid policy');
  });
});
