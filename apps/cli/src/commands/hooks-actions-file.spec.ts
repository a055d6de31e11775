import { HOOK_EVENTS, renderActionsFile } from './hooks-actions-file';

describe('renderActionsFile', () => {
  const file = renderActionsFile('sales', [
    { mirrorId: 'sales-eu', url: 'http://lakemirror:8080/service/replication/v1/hooks/mirrors/sales-eu/scan', token: 'lmh_abc' },
    { mirrorId: 'sales-us', url: 'http://lakemirror:8080/service/replication/v1/hooks/mirrors/sales-us/scan', token: 'lmh_def' },
  ]);

  it('is one lakeFS action on every event that changes a branch or tag', () => {
    expect(file).toContain('\nname: lakemirror\n');
    expect(file).toContain(
      '\non:\n  post-commit:\n  post-merge:\n  post-create-branch:\n  post-delete-branch:\n  post-create-tag:\n  post-delete-tag:\n  post-revert:\n  post-cherry-pick:\nhooks:\n',
    );
    expect(HOOK_EVENTS).toEqual(
      expect.arrayContaining(['post-commit', 'post-merge', 'post-create-branch', 'post-delete-branch', 'post-create-tag', 'post-delete-tag']),
    );
  });

  it('has one webhook per mirror, each with its own URL and bearer token, run whatever another did', () => {
    expect(file).toContain(
      [
        '  - id: "lakemirror_sales-eu"',
        '    type: webhook',
        '    description: "scan mirror sales-eu"',
        '    if: "true"',
        '    properties:',
        '      url: "http://lakemirror:8080/service/replication/v1/hooks/mirrors/sales-eu/scan"',
        '      timeout: 10s',
        '      headers:',
        '        Authorization: "Bearer lmh_abc"',
      ].join('\n'),
    );
    expect(file).toContain('  - id: "lakemirror_sales-us"');
    expect(file).toContain('        Authorization: "Bearer lmh_def"');
    expect(file.endsWith('"Bearer lmh_def"\n')).toBe(true);
  });

  it('quotes every value, so that nothing in one can change the structure', () => {
    const odd = renderActionsFile('sales', [{ mirrorId: 'm', url: 'http://h/x"\nname: evil', token: '{{ ENV.LAKEFSACTION_M }}' }]);
    expect(odd).toContain('      url: "http://h/x\\"\\nname: evil"');
    expect(odd).toContain('        Authorization: "Bearer {{ ENV.LAKEFSACTION_M }}"');
    expect(odd.match(/^name:/gm)).toHaveLength(1);
  });
});
