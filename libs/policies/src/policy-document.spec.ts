import { InvalidPolicyError, parsePolicy } from './policy-document';

const statement = { action: ['fs:ReadRepository'], effect: 'allow', resource: 'arn:lakefs:fs:::repository/sales' };
const problemsOf = (...statements: object[]): Record<string, string> => {
  try {
    parsePolicy({ id: 'p', statement: statements });
  } catch (error) {
    if (error instanceof InvalidPolicyError) return Object.fromEntries(error.problems.map((p) => [p.path, p.message]));
    throw error;
  }
  return {};
};

describe('parsePolicy refuses what lakeFS would not evaluate as written, naming the statement and field', () => {
  it('accepts known actions, wildcards that match one, ARNs, lists of them, and conditions lakemirror evaluates', () => {
    const valid = [
      statement,
      { action: ['fs:*', 'fs:Read*', 'auth:?eadUser', '*'], effect: 'deny', resource: '*' },
      { action: ['fs:MirrorRepository'], effect: 'allow', resource: '["arn:lakefs:fs:::repository/${user}-*", "arn:lakefs:fs:::namespace/s3://b/p/*"]' },
      { action: ['fs:ReadObject'], effect: 'allow', resource: 'arn:lakefs:fs:::repository/sales/object/a:b/c' },
      { action: ['fs:ListRepositories'], effect: 'allow', resource: 'arn:lakefs:fs:::*' },
      { ...statement, condition: { IpAddress: { SourceIp: ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32'] } } },
      {
        ...statement,
        condition: { NotIpAddress: { SourceIp: ['10.0.0.0/8'] }, StringLike: { SourceIp: ['10.1.*'] }, StringNotLike: { SourceIp: ['10.1.1.*'] } },
      },
    ];
    expect(parsePolicy({ id: 'p', statement: valid }).statement).toEqual(valid);
  });

  it('unknown actions, and patterns that match none', () => {
    expect(problemsOf({ ...statement, action: ['fs:ReadRepository', 'fs:ReadRepo', 'repos:Read', 'fs:Raed*'] })).toEqual({
      'statement.0.action.1': 'unknown action "fs:ReadRepo"',
      'statement.0.action.2': 'unknown action "repos:Read"',
      'statement.0.action.3': '"fs:Raed*" matches no known action',
    });
  });

  it('bad ARNs and resource lists', () => {
    const problems = problemsOf(
      { ...statement, resource: 'repository/sales' },
      { ...statement, resource: 'arn:aws:s3:::bucket' },
      { ...statement, resource: 'arn:lakefs:storage:::repository/sales' },
      { ...statement, resource: 'arn:lakefs:fs:us-east-1:123:repository/sales' },
      { ...statement, resource: 'arn:lakefs:fs:::repo/sales' },
      { ...statement, resource: 'arn:lakefs:fs:::repository/' },
      { ...statement, resource: '["arn:lakefs:fs:::repository/a", arn:lakefs:fs:::repository/b"]' },
      { ...statement, resource: '[]' },
      { ...statement, resource: '["arn:lakefs:fs:::repository/a", "sales"]' },
      { ...statement, resource: ' arn:lakefs:fs:::repository/sales' },
    );
    expect(Object.keys(problems)).toEqual([...Array(10).keys()].map((i) => `statement.${i}.resource`));
    expect(problems['statement.0.resource']).toBe('"repository/sales" is not an ARN (arn:lakefs:<service>:::<resource>) nor *');
    expect(problems['statement.2.resource']).toContain('names service "storage"');
    expect(problems['statement.3.resource']).toContain('has a region or account');
    expect(problems['statement.4.resource']).toBe('"arn:lakefs:fs:::repo/sales" names no fs resource (repository/<id>, namespace/<id>)');
    expect(problems['statement.6.resource']).toContain('is not a JSON list of ARN strings');
    expect(problems['statement.7.resource']).toBe('lists no resource');
    expect(problems['statement.8.resource']).toContain('"sales" is not an ARN');
  });

  it('conditions it cannot evaluate as lakeFS does, or that would hold always or never', () => {
    expect(
      problemsOf(
        { ...statement, condition: { DateGreaterThan: { CurrentTime: ['2020-01-01'] } } },
        { ...statement, condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } } },
        { ...statement, condition: { IpAddress: { SourceIp: ['10.0.0.0/33', 'not-an-ip', '10.0.0.1 '] } } },
        { ...statement, condition: { NotIpAddress: { SourceIp: [] } } },
        { ...statement, condition: { IpAddress: {} } },
        { ...statement, condition: {} },
      ),
    ).toEqual({
      'statement.0.condition.DateGreaterThan':
        'unsupported condition operator "DateGreaterThan" (supported: IpAddress, NotIpAddress, StringLike, StringNotLike)',
      'statement.1.condition.IpAddress.aws:SourceIp': 'unknown condition field "aws:SourceIp" (lakemirror evaluates: SourceIp)',
      'statement.2.condition.IpAddress.SourceIp': '"10.0.0.1 " is not an IP address or CIDR block',
      'statement.3.condition.NotIpAddress.SourceIp': 'must list at least one value',
      'statement.4.condition.IpAddress': 'must name at least one field',
      'statement.5.condition': 'must hold at least one operator, or be left out',
    });
  });

  it('names every bad value of a field', () => {
    const problems = (() => {
      try {
        parsePolicy({ id: 'p', statement: [{ ...statement, condition: { IpAddress: { SourceIp: ['10.0.0.0/33', 'not-an-ip'] } } }] });
      } catch (error) {
        return (error as InvalidPolicyError).problems;
      }
    })();
    expect(problems?.map((p) => p.message)).toEqual(['"10.0.0.0/33" is not an IP address or CIDR block', '"not-an-ip" is not an IP address or CIDR block']);
  });

  it('refuses unknown keys rather than dropping them: a capitalised Condition would make the statement unconditional', () => {
    expect(problemsOf({ ...statement, Condition: { IpAddress: { SourceIp: ['10.0.0.0/8'] } } })).toEqual({
      'statement.0': "Unrecognized key(s) in object: 'Condition'",
    });
  });
});
