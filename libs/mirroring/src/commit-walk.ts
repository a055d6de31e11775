import { CommitNode, parentsFirst } from './topological-order';

/**
 * The commits reachable from `headId` that the mirror does not have yet, parents before
 * children, following every parent of merges.
 *
 * `log` is the source's commit log from the head (lakeFS's log walks all parents, newest
 * first); it is read only as far as needed: the walk stops once every commit it still waits
 * for has been seen, so an idle branch costs one page and a branch that moved costs pages in
 * proportion to its new commits. `isMirrored` answers for a batch of IDs.
 */
export async function commitsToMirror<T extends CommitNode>(
  headId: string,
  log: AsyncIterable<T>,
  isMirrored: (ids: string[]) => Promise<Set<string>>,
): Promise<T[]> {
  if ((await isMirrored([headId])).has(headId)) return [];
  const wanted = new Set([headId]);
  const found: T[] = [];
  const foundIds = new Set<string>();
  for await (const commit of log) {
    if (!wanted.delete(commit.id)) continue;
    found.push(commit);
    foundIds.add(commit.id);
    const parents = commit.parents.filter((p) => !wanted.has(p) && !foundIds.has(p));
    const mirrored = parents.length > 0 ? await isMirrored(parents) : new Set<string>();
    for (const parent of parents) if (!mirrored.has(parent)) wanted.add(parent);
    if (wanted.size === 0) break;
  }
  if (wanted.size > 0) {
    throw new Error(`commit log of ${headId} ended before reaching ${[...wanted].join(', ')}`);
  }
  return parentsFirst(found);
}
