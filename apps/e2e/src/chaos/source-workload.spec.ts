import { SeededRandom } from './seeded-random';
import { SOURCE_OPERATION_KINDS, SourceOperation, SourceWorkload } from './source-workload';

const plan = (seed: number, count = 300): SourceOperation[] => {
  const workload = new SourceWorkload(new SeededRandom(seed));
  return Array.from({ length: count }, () => workload.next());
};

describe('SourceWorkload', () => {
  it('plans the same operations from the same seed, and others from another', () => {
    expect(plan(11)).toEqual(plan(11));
    expect(plan(11)).not.toEqual(plan(12));
  });

  it('plans every kind of operation', () => {
    expect(new Set(plan(1).map((o) => o.kind))).toEqual(new Set(SOURCE_OPERATION_KINDS));
  });

  it('only ever names branches that exist at that point, never deletes main, never reuses a name', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const branches = new Set(['main']);
      const everCreated = new Set<string>();
      for (const operation of plan(seed)) {
        const named =
          operation.kind === 'merge' ? [operation.from, operation.into] : operation.kind === 'create-branch' ? [operation.from] : [operation.branch];
        for (const branch of named) expect(branches).toContain(branch);
        if (operation.kind === 'merge') expect(operation.from).not.toBe(operation.into);
        if (operation.kind === 'create-branch') {
          expect(everCreated).not.toContain(operation.branch);
          everCreated.add(operation.branch);
          branches.add(operation.branch);
        }
        if (operation.kind === 'delete-branch') {
          expect(operation.branch).not.toBe('main');
          branches.delete(operation.branch);
        }
        expect(branches.size).toBeLessThanOrEqual(5);
      }
    }
  });

  it('commits a few objects under a prefix of their own, and resets one to three commits back', () => {
    const operations = plan(8);
    const commits = operations.filter((o) => o.kind === 'commit');
    expect(commits.every((c) => c.objects >= 1 && c.objects <= 6)).toBe(true);
    expect(new Set(commits.map((c) => c.prefix)).size).toBe(commits.length);
    expect(operations.filter((o) => o.kind === 'reset').every((r) => r.back >= 1 && r.back <= 3)).toBe(true);
  });
});
