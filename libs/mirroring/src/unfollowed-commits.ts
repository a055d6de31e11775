import type { CommitNode } from './topological-order';

/**
 * The commits among `unfinished` (not yet recorded on the mirror) that no followed head needs:
 * not reachable from any of `heads` through unfinished commits. A recorded commit's ancestors
 * are all recorded, so the walk never needs to cross one. Once a branch is no longer followed,
 * these are the commits only it led to: they are dropped rather than verified, and found again
 * by the scanner if a followed branch ever reaches them.
 */
export function unfollowedCommits(unfinished: readonly CommitNode[], heads: Iterable<string>): string[] {
  const byId = new Map(unfinished.map((c) => [c.id, c]));
  const needed = new Set<string>();
  const toVisit = [...heads];
  for (let id = toVisit.pop(); id !== undefined; id = toVisit.pop()) {
    const commit = byId.get(id);
    if (!commit || needed.has(id)) continue;
    needed.add(id);
    toVisit.push(...commit.parents);
  }
  return unfinished.filter((c) => !needed.has(c.id)).map((c) => c.id);
}
