import { CommitNode, parentsFirst } from './topological-order';

/**
 * Of the verified commits, those the promoter may record now, in the order to record them: each
 * after its parents, every parent either recorded on the mirror already or earlier in the list.
 * A chain of verified commits is recordable at once, one pass for a whole backlog; a commit with
 * a parent neither recorded nor recordable (unverified, failed, unknown) is left out, and so are
 * its descendants.
 */
export function recordableInOrder<T extends CommitNode>(verified: readonly T[], isRecorded: (commitId: string) => boolean): T[] {
  const recordable = new Set<string>();
  const ordered: T[] = [];
  for (const commit of parentsFirst(verified)) {
    if (!commit.parents.every((parent) => recordable.has(parent) || isRecorded(parent))) continue;
    recordable.add(commit.id);
    ordered.push(commit);
  }
  return ordered;
}
