import { SeededRandom } from './seeded-random';

/** One change a user makes to the source repository. */
export type SourceOperation =
  | { kind: 'commit'; branch: string; objects: number; prefix: string }
  | { kind: 'merge'; from: string; into: string }
  | { kind: 'create-branch'; branch: string; from: string }
  | { kind: 'delete-branch'; branch: string }
  /** A hard reset of `branch` to the commit `back` first-parent steps behind its head. */
  | { kind: 'reset'; branch: string; back: number };

export type SourceOperationKind = SourceOperation['kind'];

export const SOURCE_OPERATION_KINDS: readonly SourceOperationKind[] = ['commit', 'merge', 'create-branch', 'delete-branch', 'reset'];

const DEFAULT_BRANCH = 'main';
const MAX_BRANCHES = 5;

/**
 * The source workload of a chaos soak: what to do next to the source repository, drawn from
 * the seed. It depends only on the operations it planned before (never on how they went), so
 * the same seed always plans the same sequence. Branch deletes and hard resets backwards are
 * included: the scanner deletes a branch deleted on the source and the promoter follows a
 * reset (observations are ordered by time, not ancestry).
 */
export class SourceWorkload {
  private readonly branches = new Set([DEFAULT_BRANCH]);
  private planned = 0;

  constructor(private readonly random: SeededRandom) {}

  next(): SourceOperation {
    const index = ++this.planned;
    const branches = [...this.branches].sort();
    const others = branches.filter((b) => b !== DEFAULT_BRANCH);
    const kind = this.random.weighted<SourceOperationKind>({
      commit: 50,
      merge: branches.length > 1 ? 15 : 0,
      'create-branch': branches.length < MAX_BRANCHES ? 12 : 0,
      // The default branch cannot be deleted in lakeFS.
      'delete-branch': others.length > 0 ? 8 : 0,
      reset: 8,
    });
    switch (kind) {
      case 'commit':
        return { kind, branch: this.random.pick(branches), objects: this.random.int(1, 6), prefix: `chaos/op-${index}` };
      case 'merge': {
        const from = this.random.pick(branches);
        return { kind, from, into: this.random.pick(branches.filter((b) => b !== from)) };
      }
      case 'create-branch': {
        const branch = `branch-${index}`;
        const operation = { kind, branch, from: this.random.pick(branches) } as const;
        this.branches.add(branch);
        return operation;
      }
      case 'delete-branch': {
        const branch = this.random.pick(others);
        this.branches.delete(branch);
        return { kind, branch };
      }
      case 'reset':
        return { kind, branch: this.random.pick(branches), back: this.random.int(1, 3) };
    }
  }

  /** Seconds to wait before the next operation. */
  pause(): number {
    return this.random.int(5, 30) / 10;
  }
}

/** Something to describe an operation by in logs and failure messages. */
export function describeOperation(operation: SourceOperation): string {
  switch (operation.kind) {
    case 'commit':
      return `commit ${operation.objects} objects to ${operation.branch}`;
    case 'merge':
      return `merge ${operation.from} into ${operation.into}`;
    case 'create-branch':
      return `create ${operation.branch} from ${operation.from}`;
    case 'delete-branch':
      return `delete ${operation.branch}`;
    case 'reset':
      return `hard reset ${operation.branch} ${operation.back} commits back`;
  }
}
