import { arnMatch } from './arn';
import { ConditionError, PolicyCondition, conditionHolds } from './conditions';
import { Decision, evaluate } from './evaluate';
import type { Policy, PolicyStatement } from './policy.types';
import { parseResourceList } from './resources';

// Cases from lakeFS v1.84's own tests, as facts (inputs and expected decisions), not code.
// Each table names the lakeFS test it comes from.

const policy = (...statement: PolicyStatement[]): Policy => ({ id: 'p', statement });
const allow = (action: string[], resource: string, condition?: PolicyCondition): PolicyStatement => ({ action, effect: 'allow', resource, condition });
const deny = (action: string[], resource: string, condition?: PolicyCondition): PolicyStatement => ({ action, effect: 'deny', resource, condition });
const allowed = (decision: Decision) => decision === 'allow';

describe('lakeFS pkg/auth/policy_filter_test.go TestCheckPermission', () => {
  const repo1 = 'arn:lakefs:fs:::repository/repo1';
  it.each<[string, string, Policy[], string, boolean]>([
    ['no policies - no access', repo1, [], 'fs:ListRepositories', false],
    ['allow all with wildcard resource', repo1, [policy(allow(['fs:*'], '*'))], 'fs:ListRepositories', true],
    ['allow all with repository wildcard ARN', repo1, [policy(allow(['fs:ListRepositories'], 'arn:lakefs:fs:::repository/*'))], 'fs:ListRepositories', true],
    ['allow specific repository - match', repo1, [policy(allow(['fs:ListRepositories'], repo1))], 'fs:ListRepositories', true],
    [
      'allow specific repository - no match',
      'arn:lakefs:fs:::repository/other-repo',
      [policy(allow(['fs:ListRepositories'], repo1))],
      'fs:ListRepositories',
      false,
    ],
    [
      'deny takes precedence over allow',
      'arn:lakefs:fs:::repository/secret-repo',
      [policy(allow(['fs:*'], '*'), deny(['fs:ListRepositories'], 'arn:lakefs:fs:::repository/secret-*'))],
      'fs:ListRepositories',
      false,
    ],
    [
      'deny specific repo - allow others',
      'arn:lakefs:fs:::repository/public-repo',
      [policy(allow(['fs:*'], '*'), deny(['fs:ListRepositories'], 'arn:lakefs:fs:::repository/secret-*'))],
      'fs:ListRepositories',
      true,
    ],
    [
      'wildcard repository pattern - match',
      'arn:lakefs:fs:::repository/analytics-prod',
      [policy(allow(['fs:ListRepositories'], 'arn:lakefs:fs:::repository/analytics-*'))],
      'fs:ListRepositories',
      true,
    ],
    [
      'wildcard repository pattern - no match',
      'arn:lakefs:fs:::repository/other-repo',
      [policy(allow(['fs:ListRepositories'], 'arn:lakefs:fs:::repository/analytics-*'))],
      'fs:ListRepositories',
      false,
    ],
    [
      'user interpolation - match',
      'arn:lakefs:fs:::repository/user1-private',
      [policy(allow(['fs:ListRepositories'], 'arn:lakefs:fs:::repository/${user}-*'))],
      'fs:ListRepositories',
      true,
    ],
    [
      'user interpolation - no match different user',
      'arn:lakefs:fs:::repository/user2-private',
      [policy(allow(['fs:ListRepositories'], 'arn:lakefs:fs:::repository/${user}-*'))],
      'fs:ListRepositories',
      false,
    ],
    [
      'multiple policies - allow from second policy',
      repo1,
      [policy(allow(['fs:ReadRepository'], 'arn:lakefs:fs:::repository/*')), policy(allow(['fs:ListRepositories'], 'arn:lakefs:fs:::repository/*'))],
      'fs:ListRepositories',
      true,
    ],
    ['action wildcard match', repo1, [policy(allow(['fs:List*'], 'arn:lakefs:fs:::repository/*'))], 'fs:ListRepositories', true],
    ['action mismatch', repo1, [policy(allow(['fs:ReadRepository'], 'arn:lakefs:fs:::repository/*'))], 'fs:ListRepositories', false],
    [
      'multiple resources in statement - array format',
      'arn:lakefs:fs:::repository/staging-data',
      [policy(allow(['fs:ListRepositories'], '["arn:lakefs:fs:::repository/production-data", "arn:lakefs:fs:::repository/staging-data"]'))],
      'fs:ListRepositories',
      true,
    ],
    [
      'wildcard + specific repo - match wildcard',
      'arn:lakefs:fs:::repository/analytics-prod',
      [policy(allow(['fs:ListRepositories'], '["arn:lakefs:fs:::repository/analytics-*", "arn:lakefs:fs:::repository/production-data"]'))],
      'fs:ListRepositories',
      true,
    ],
    [
      'wildcard + specific repo - no match',
      'arn:lakefs:fs:::repository/other-repo',
      [policy(allow(['fs:ListRepositories'], '["arn:lakefs:fs:::repository/analytics-*", "arn:lakefs:fs:::repository/production-data"]'))],
      'fs:ListRepositories',
      false,
    ],
    [
      'statements with conditions are skipped (no context)',
      repo1,
      [policy(allow(['fs:ListRepositories'], 'arn:lakefs:fs:::repository/*', { IpAddress: { 'aws:SourceIp': ['192.168.1.0/24'] } }))],
      'fs:ListRepositories',
      false,
    ],
    [
      'non-repository resource - branch ARN',
      'arn:lakefs:fs:::repository/repo1/branch/main',
      [policy(allow(['fs:ReadBranch'], 'arn:lakefs:fs:::repository/repo1/branch/*'))],
      'fs:ReadBranch',
      true,
    ],
  ])('%s', (_name, resource, policies, action, expected) => {
    expect(allowed(evaluate(policies, { action, resource }, 'user1'))).toBe(expected);
  });
});

describe('lakeFS pkg/auth/policy_filter_test.go TestCheckPermissionWithConditions', () => {
  const namespace = 'arn:lakefs:catalog:::namespace/my-repo/my-ns';
  const analyticsOnly = allow(['catalog:ListTables'], namespace, { StringLike: { 'catalog:TableName': ['analytics-*'] } });
  const secretsDenied = [
    allow(['catalog:ListTables'], namespace),
    deny(['catalog:ListTables'], namespace, { StringLike: { 'catalog:TableName': ['secret-*'] } }),
  ];
  it.each<[string, PolicyStatement[], Record<string, string> | undefined, boolean]>([
    ['StringLike condition match', [analyticsOnly], { 'catalog:TableName': 'analytics-report' }, true],
    ['StringLike condition no match', [analyticsOnly], { 'catalog:TableName': 'sales-data' }, false],
    ['condition with no context skips statement', [analyticsOnly], undefined, false],
    ['statement without condition still works with context', [allow(['catalog:ListTables'], namespace)], { 'catalog:TableName': 'anything' }, true],
    ['deny with matching condition takes precedence', secretsDenied, { 'catalog:TableName': 'secret-data' }, false],
    ['deny condition does not match - allow passes', secretsDenied, { 'catalog:TableName': 'analytics-report' }, true],
  ])('%s', (_name, statements, context, expected) => {
    expect(allowed(evaluate([policy(...statements)], { action: 'catalog:ListTables', resource: namespace }, 'user1', context))).toBe(expected);
  });
});

describe('lakeFS pkg/auth/service_test.go TestAPIAuthService_Authorize', () => {
  const onMain = { action: 'fs:ReadObject', resource: 'arn:lakefs:fs:::repository/main/*' };
  it.each<[string, string, Policy[], { action: string; resource: string }, boolean]>([
    ['successful_authorization', '192.168.1.1', [policy(allow(['fs:ReadObject'], 'arn:lakefs:fs:::repository/main/*'))], onMain, true],
    [
      'authorization_denied_missing_permission',
      '192.168.1.2',
      [policy(allow(['fs:ReadObject'], 'arn:lakefs:fs:::repository/main/*'))],
      { ...onMain, action: 'fs:WriteObject' },
      false,
    ],
    [
      'authorization_explicitly_denied',
      '192.168.1.3',
      [policy(allow(['fs:*'], '*'), deny(['fs:DeleteObject'], 'arn:lakefs:fs:::repository/main/sensitive/*'))],
      { action: 'fs:DeleteObject', resource: 'arn:lakefs:fs:::repository/main/sensitive/*' },
      false,
    ],
    ['authorization_wildcard_action', '192.168.1.4', [policy(allow(['fs:*'], '*'))], onMain, true],
    ['authorization_no_policies', '192.168.1.5', [], onMain, false],
    [
      'authorization_with_conditions_ip_match',
      '192.168.1.100',
      [policy(allow(['fs:ReadObject'], '*', { IpAddress: { SourceIp: ['192.168.1.100/32'] } }))],
      onMain,
      true,
    ],
    [
      'authorization_with_conditions_ip_mismatch',
      '10.0.0.1',
      [policy(allow(['fs:ReadObject'], '*', { IpAddress: { SourceIp: ['192.168.1.0/24'] } }))],
      onMain,
      false,
    ],
  ])('%s', (_name, clientIp, policies, permission, expected) => {
    expect(allowed(evaluate(policies, permission, 'user', { SourceIp: clientIp }))).toBe(expected);
  });
});

describe('lakeFS pkg/api/controller_test.go TestCheckPermissions_multipleResources', () => {
  const read = (repo: string) => ({ action: 'fs:ReadRepository', resource: `arn:lakefs:fs:::repository/${repo}` });
  const repos = (...ids: string[]) => JSON.stringify(ids.map((id) => (id === '*' ? '*' : `arn:lakefs:fs:::repository/${id}`)));
  it.each<[string, Policy[], string, Decision]>([
    ['read repo from first resource', [policy(allow(['fs:ReadRepository'], repos('repo1', 'repo2')))], 'repo1', 'allow'],
    ['read repo from second resource', [policy(allow(['fs:ReadRepository'], repos('repo1', 'repo3')))], 'repo3', 'allow'],
    ['read repo from second resource, wildcard', [policy(allow(['fs:ReadRepository'], repos('repo1', '*')))], 'repo3', 'allow'],
    ['read repo from wildcard deny', [policy(deny(['fs:ReadRepository'], repos('repo1', '*')))], 'repo3', 'deny'],
    [
      'read repo from third resource',
      [policy(allow(['fs:ReadRepository'], '["arn:lakefs:fs:::repository/repo1" ,  "arn:lakefs:fs:::repository/repo1" , "arn:lakefs:fs:::repository/repo2"]'))],
      'repo2',
      'allow',
    ],
    ['read second resource, denied', [policy(deny(['fs:ReadRepository'], repos('repo1', 'repo2')))], 'repo2', 'deny'],
    [
      'one allow one deny',
      [policy(allow(['fs:ReadRepository'], repos('repo1', 'repo2'))), policy(deny(['fs:ReadRepository'], repos('repo1', 'repo2')))],
      'repo2',
      'deny',
    ],
  ])('%s', (_name, policies, repo, expected) => {
    expect(evaluate(policies, read(repo), 'user1')).toBe(expected);
  });
});

describe('lakeFS pkg/auth/arn_test.go TestParseResources', () => {
  it.each<[string, string[] | undefined]>([
    ['["arn:lakefs:repos::b:myrepo","arn:lakefs:repos::b:hisrepo"]', ['arn:lakefs:repos::b:myrepo', 'arn:lakefs:repos::b:hisrepo']],
    ['       arn:lakefs:repos::b:myrepo  ', ['       arn:lakefs:repos::b:myrepo  ']],
    ['[    "arn:lakefs:repos::b:myrepo  "]', ['arn:lakefs:repos::b:myrepo  ']],
    ['["arn:lakefs:repos::b:myre,po","arn:lakefs:repos::b,:myrepo"]', ['arn:lakefs:repos::b:myre,po', 'arn:lakefs:repos::b,:myrepo']],
    ['*', ['*']],
    ['[""]', ['']],
    ['["arn:lakefs:repos::b:m\\"yrepo  ","arn:lakefs:repos::b:hisrepo"]', ['arn:lakefs:repos::b:m"yrepo  ', 'arn:lakefs:repos::b:hisrepo']],
    // Errors: lakeFS then denies the whole check (CheckPermissions in pkg/auth/service.go).
    ['["arn:lakefs:repos::b:myre,po,"arn:lakefs:repos::b,:myrepo"]', undefined],
    ['', undefined],
    ['["arn:lakefs:repos::b:myrepo", arn:lakefs:repos::b:hisrepo"]', undefined],
    ['["arn:lakefs:repos::b:myrepo" "arn:lakefs:repos::b:hisrepo"]', undefined],
    ['["arn:lakefs:repos::b:myrepo" ,"arn:lakefs:repos::b:hisrepo",]', undefined],
  ])('%s → %j', (resource, expected) => {
    expect(parseResourceList(resource)).toEqual(expected);
  });
});

describe('lakeFS pkg/auth/arn_test.go TestArnMatch', () => {
  it.each<[string, string, boolean]>([
    ['arn:lakefs:repos::b:myrepo', 'arn:lakefs:repos::b:myrepo', true],
    ['arn:lakefs:repos::b:*', 'arn:lakefs:repos::b:myrepo', true],
    ['arn:lakefs:repos::b:my*', 'arn:lakefs:repos::b:myrepo', true],
    ['arn:lakefs:repos::b:my*po', 'arn:lakefs:repos::b:myrepo', true],
    ['arn:lakefs:repos::b:our*', 'arn:lakefs:repos::b:myrepo', false],
    ['arn:lakefs:repos::b:my*own', 'arn:lakefs:repos::b:myrepo', false],
    ['arn:lakefs:repos::b:myrepo', 'arn:lakefs:repos::b:*', false],
    ['arn:lakefs:repo:::*', 'arn:lakefs:repo:::*', true],
    ['arn:lakefs:repo', 'arn:lakefs:repo', false],
  ])('%s ~ %s → %s', (pattern, resource, expected) => {
    expect(arnMatch(pattern, resource)).toBe(expected);
  });
});

describe('lakeFS pkg/auth/condition_test.go TestIpAddressOperators_Evaluate', () => {
  // [name, fields, context, IpAddress result, NotIpAddress result]; "error" where lakeFS fails the evaluation.
  type Outcome = boolean | 'error';
  const holds = (operator: string, fields: Record<string, string[]>, context: Record<string, string>): Outcome => {
    try {
      return conditionHolds({ [operator]: fields }, context);
    } catch (error) {
      if (error instanceof ConditionError) return 'error';
      throw error;
    }
  };
  const both = { SourceIp: ['10.0.0.0/8'], ClientIp: ['192.168.1.0/24'] };
  it.each<[string, Record<string, string[]>, Record<string, string>, Outcome, Outcome]>([
    ['Single IP match', { SourceIp: ['192.168.1.1'] }, { SourceIp: '192.168.1.1' }, true, false],
    ['Single IP no match', { SourceIp: ['192.168.1.1'] }, { SourceIp: '192.168.1.2' }, false, true],
    ['CIDR block match', { SourceIp: ['10.0.0.0/8'] }, { SourceIp: '10.255.255.255' }, true, false],
    ['CIDR block no match', { SourceIp: ['10.0.0.0/8'] }, { SourceIp: '11.0.0.1' }, false, true],
    ['Multiple values OR logic - first matches', { SourceIp: ['192.168.1.0/24', '10.0.0.0/8'] }, { SourceIp: '192.168.1.100' }, true, false],
    ['Multiple values OR logic - second matches', { SourceIp: ['192.168.1.0/24', '10.0.0.0/8'] }, { SourceIp: '10.1.2.3' }, true, false],
    ['Multiple values OR logic - none match', { SourceIp: ['192.168.1.0/24', '10.0.0.0/8'] }, { SourceIp: '172.16.0.1' }, false, true],
    ['Invalid IP format in condition', { SourceIp: ['invalid.ip'] }, { SourceIp: '192.168.1.1' }, 'error', 'error'],
    ['Missing field in context', { SourceIp: ['192.168.1.1'] }, { OtherField: '192.168.1.1' }, false, false],
    ['Empty field value in context', { SourceIp: ['10.0.0.0/8'] }, { SourceIp: '' }, false, false],
    ['Dynamic field - custom IP field', { ClientIp: ['203.0.113.0/24'] }, { ClientIp: '203.0.113.5' }, true, false],
    ['Dynamic field - alternate naming', { SourceIPAddress: ['10.0.0.0/8'] }, { SourceIPAddress: '10.1.2.3' }, true, false],
    ['Multiple fields AND logic - both match', both, { SourceIp: '10.1.2.3', ClientIp: '192.168.1.100' }, true, false],
    ['Multiple fields AND logic - first matches, second missing', both, { SourceIp: '10.1.2.3' }, false, false],
    ['Multiple fields AND logic - first matches, second no match', both, { SourceIp: '10.1.2.3', ClientIp: '172.16.0.1' }, false, false],
    ['Multiple fields AND logic - both no match', both, { SourceIp: '172.16.0.1', ClientIp: '10.0.0.1' }, false, true],
    ['Multiple fields AND logic - first no match, second matches', both, { SourceIp: '172.16.0.1', ClientIp: '192.168.1.100' }, false, false],
    ['Empty values list for field', { SourceIp: [] }, { SourceIp: '192.168.1.1' }, false, true],
  ])('%s', (_name, fields, context, ipAddress, notIpAddress) => {
    expect(holds('IpAddress', fields, context)).toBe(ipAddress);
    expect(holds('NotIpAddress', fields, context)).toBe(notIpAddress);
  });
});

describe('lakeFS pkg/auth/condition_test.go TestEvaluateConditions', () => {
  it.each<[string, PolicyCondition, Record<string, string>, boolean | 'error']>([
    ['No conditions - always pass', {}, { SourceIp: '192.168.1.1' }, true],
    ['Single IP condition - match', { IpAddress: { SourceIp: ['192.168.1.1'] } }, { SourceIp: '192.168.1.1' }, true],
    ['Single IP condition - no match', { IpAddress: { SourceIp: ['192.168.1.1'] } }, { SourceIp: '192.168.1.2' }, false],
    ['CIDR condition - match', { IpAddress: { SourceIp: ['10.0.0.0/8'] } }, { SourceIp: '10.5.6.7' }, true],
    ['Unsupported operator', { UnsupportedOp: { SomeField: ['value'] } }, { SomeField: '192.168.1.1' }, 'error'],
    ['Dynamic field - custom field name', { IpAddress: { ClientIp: ['203.0.113.0/24'] } }, { ClientIp: '203.0.113.5' }, true],
    ['NotIpAddress condition - no match', { NotIpAddress: { SourceIp: ['192.168.1.1'] } }, { SourceIp: '192.168.1.2' }, true],
    ['NotIpAddress condition - match', { NotIpAddress: { SourceIp: ['192.168.1.1'] } }, { SourceIp: '192.168.1.1' }, false],
    ['NotIpAddress CIDR condition - no match', { NotIpAddress: { SourceIp: ['10.0.0.0/8'] } }, { SourceIp: '11.0.0.1' }, true],
  ])('%s', (_name, condition, context, expected) => {
    if (expected === 'error') expect(() => conditionHolds(condition, context)).toThrow(ConditionError);
    else expect(conditionHolds(condition, context)).toBe(expected);
  });
});
