/** A commit as the pipeline sees it: its ID and its parents' IDs. */
export interface CommitNode {
  id: string;
  parents: string[];
}

export class CommitCycleError extends Error {
  readonly code = 'COMMIT_CYCLE';

  constructor(readonly commitIds: string[]) {
    super(`commits form a cycle: ${commitIds.join(', ')}`);
    this.name = 'CommitCycleError';
  }
}

/**
 * Orders `commits` so that every commit comes after those of its parents that are in the set
 * (parents outside the set are taken as already in place). Ties keep the input order, so
 * the result is deterministic.
 */
export function parentsFirst<T extends CommitNode>(commits: readonly T[]): T[] {
  const byId = new Map(commits.map((c) => [c.id, c]));
  const waitingOn = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const commit of commits) {
    const inSet = [...new Set(commit.parents)].filter((p) => byId.has(p));
    waitingOn.set(commit.id, inSet.length);
    for (const parent of inSet) {
      const waiting = children.get(parent);
      if (waiting) waiting.push(commit.id);
      else children.set(parent, [commit.id]);
    }
  }
  const ordered: T[] = [];
  const ready = commits.filter((c) => waitingOn.get(c.id) === 0).map((c) => c.id);
  while (ready.length > 0) {
    const id = ready.shift() as string;
    ordered.push(byId.get(id) as T);
    for (const child of children.get(id) ?? []) {
      const left = (waitingOn.get(child) as number) - 1;
      waitingOn.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (ordered.length !== byId.size) {
    throw new CommitCycleError([...waitingOn].filter(([, n]) => n > 0).map(([id]) => id));
  }
  return ordered;
}
