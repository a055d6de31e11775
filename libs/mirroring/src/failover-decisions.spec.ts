import { FailoverAction, FailoverRepository, FailoverStep, classifyFailoverRepository, failoverAction, restoreOutcome } from './failover-decisions';

describe('classifyFailoverRepository', () => {
  const namespace = 's3://region-b/mirrors/sales';

  it('tells the mirror repository from the writable one by the read-only flag, on the same namespace', () => {
    expect(classifyFailoverRepository({ read_only: true, storage_namespace: namespace }, namespace)).toBe('read-only');
    expect(classifyFailoverRepository({ read_only: false, storage_namespace: namespace }, namespace)).toBe('writable');
    expect(classifyFailoverRepository({ storage_namespace: namespace }, namespace)).toBe('writable');
  });

  it('names a repository on another namespace someone else’s, whatever its flag', () => {
    expect(classifyFailoverRepository({ read_only: true, storage_namespace: `${namespace}-other` }, namespace)).toBe('elsewhere');
  });

  it('passes absence and a half-done deletion through', () => {
    expect(classifyFailoverRepository('absent', namespace)).toBe('absent');
    expect(classifyFailoverRepository('in-deletion', namespace)).toBe('in-deletion');
  });
});

describe('failoverAction', () => {
  const table: [FailoverStep, FailoverRepository, FailoverAction][] = [
    ['dumped', 'read-only', 'delete'],
    ['dumped', 'in-deletion', 'delete'],
    ['dumped', 'absent', 'advance'],
    ['dumped', 'writable', 'blocked'],
    ['dumped', 'elsewhere', 'blocked'],
    ['deleted', 'absent', 'create'],
    ['deleted', 'writable', 'advance'],
    ['deleted', 'read-only', 'wait'],
    ['deleted', 'in-deletion', 'wait'],
    ['deleted', 'elsewhere', 'blocked'],
    ['created', 'writable', 'advance'],
    ['created', 'absent', 'wait'],
    ['created', 'read-only', 'wait'],
    ['created', 'in-deletion', 'wait'],
    ['created', 'elsewhere', 'blocked'],
  ];

  it.each(table)('after %s, with the repository %s: %s', (step, repository, action) => {
    expect(failoverAction(step, repository)).toBe(action);
  });
});

describe('restoreOutcome', () => {
  const expected = { branches: { main: 'c2', dev: 'c3' }, tags: { v1: 'c1' } };

  it('is complete when every branch and tag is there at its commit, and nothing else', () => {
    expect(restoreOutcome(expected, { branches: { dev: 'c3', main: 'c2' }, tags: { v1: 'c1' } })).toEqual({ kind: 'complete' });
  });

  it('is empty before a restore', () => {
    expect(restoreOutcome(expected, { branches: {}, tags: {} })).toEqual({ kind: 'empty' });
  });

  it('is partial when a restore stopped halfway: only expected refs, some missing', () => {
    expect(restoreOutcome(expected, { branches: { dev: 'c3' }, tags: {} })).toEqual({ kind: 'partial', missing: ['branch main at c2', 'tag v1 at c1'] });
  });

  it('is foreign when a ref was not on the mirror or points elsewhere: someone wrote to the repository', () => {
    expect(restoreOutcome(expected, { branches: { main: 'c9', dev: 'c3' }, tags: { v1: 'c1' } })).toEqual({ kind: 'foreign', foreign: ['branch main at c9'] });
    expect(restoreOutcome(expected, { branches: { ...expected.branches, feature: 'c2' }, tags: { v1: 'c1' } })).toEqual({
      kind: 'foreign',
      foreign: ['branch feature at c2'],
    });
  });

  it('compares an empty mirror as complete when the repository is empty too', () => {
    expect(restoreOutcome({ branches: {}, tags: {} }, { branches: {}, tags: {} })).toEqual({ kind: 'complete' });
  });
});
